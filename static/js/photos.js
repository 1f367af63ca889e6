/*
 * Photos on the device: downscaled to at most 2048 px JPEG before they are stored in the
 * outbox (smaller uploads, and the canvas drops every piece of metadata), and the GPS position
 * read from a JPEG's EXIF first, so it can be offered when the device has no position.
 */
(function (global) {
  'use strict';

  var MAX_SIDE = 2048;
  var JPEG_QUALITY = 0.85;

  function downscale(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement('canvas');
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) {
          if (blob) resolve(blob); else reject(new Error('encode failed'));
        }, 'image/jpeg', JPEG_QUALITY);
      });
    });
  }

  function gpsFromTiff(view, tiff) {
    var little = view.getUint16(tiff) === 0x4949;
    function u16(at) { return view.getUint16(at, little); }
    function u32(at) { return view.getUint32(at, little); }
    function entries(ifd) {
      var found = {};
      var count = u16(ifd);
      for (var i = 0; i < count; i += 1) found[u16(ifd + 2 + i * 12)] = ifd + 2 + i * 12;
      return found;
    }
    function degrees(entry) {
      var at = tiff + u32(entry + 8);
      var parts = [0, 1, 2].map(function (i) { return u32(at + i * 8) / (u32(at + i * 8 + 4) || 1); });
      return parts[0] + parts[1] / 60 + parts[2] / 3600;
    }
    try {
      var ifd0 = entries(tiff + u32(tiff + 4));
      if (!ifd0[0x8825]) return null;
      var gps = entries(tiff + u32(ifd0[0x8825] + 8));
      if (!gps[2] || !gps[4]) return null;
      var lat = degrees(gps[2]) * (String.fromCharCode(view.getUint8(gps[1] + 8)) === 'S' ? -1 : 1);
      var lon = degrees(gps[4]) * (String.fromCharCode(view.getUint8(gps[3] + 8)) === 'W' ? -1 : 1);
      return isFinite(lat) && isFinite(lon) && (lat || lon) ? { lat: lat, lon: lon } : null;
    } catch (error) {
      return null;
    }
  }

  /* Returns {lat, lon} from a JPEG's EXIF GPS, or null. */
  function readGps(buffer) {
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
    var offset = 2;
    while (offset + 10 < view.byteLength) {
      var marker = view.getUint16(offset);
      if ((marker & 0xff00) !== 0xff00) return null;
      if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) return gpsFromTiff(view, offset + 10);
      offset += 2 + view.getUint16(offset + 2);
    }
    return null;
  }

  /* Reads a chosen file: resolves {photo: {id, type, data, sent}, gps} or rejects. */
  function prepare(file, id) {
    return file.arrayBuffer().then(function (original) {
      var gps = readGps(original);
      return downscale(file).then(function (blob) { return blob.arrayBuffer(); }).then(function (data) {
        return { photo: { id: id, type: 'image/jpeg', data: data, sent: false }, gps: gps };
      });
    });
  }

  /* Shows the photos as thumbnails with a remove button each. */
  function render(list, photos, removeLabel, onRemove) {
    list.textContent = '';
    photos.forEach(function (photo, index) {
      var item = document.createElement('li');
      item.className = 'photo-previews__item';
      if (photo.data) {
        var image = document.createElement('img');
        image.src = URL.createObjectURL(new Blob([photo.data], { type: photo.type }));
        image.alt = '';
        item.appendChild(image);
      }
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'button button--quiet';
      remove.textContent = '✕';
      remove.setAttribute('aria-label', removeLabel + ' ' + (index + 1));
      remove.addEventListener('click', function () { onRemove(index); });
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  /*
   * Wires a form's photo input ("photos") and preview list ([data-photo-previews]): at most
   * form.dataset.maxPhotos photos, each downscaled; a photo's GPS is offered to `place` when
   * the form has no position yet. Returns {list(), set(photos), clear()}.
   */
  function picker(form, place) {
    var data = form.dataset;
    var input = form.elements.namedItem('photos');
    var previews = form.querySelector('[data-photo-previews]');
    var removeLabel = document.documentElement.lang === 'en' ? 'Remove photo' : 'Ta bort bilden';
    var photos = [];

    function show() {
      render(previews, photos, removeLabel, function (index) {
        photos.splice(index, 1);
        show();
      });
    }

    function add(file) {
      return prepare(file, ESTPlace.uuid()).then(function (prepared) {
        photos.push(prepared.photo);
        if (prepared.gps && !place.has() && window.confirm(data.photoPosition)) {
          place.set(prepared.gps.lat, prepared.gps.lon, null, false);
        }
      }, function () {
        ESTSync.toast(data.photoFailed, 'error');
      });
    }

    input.addEventListener('change', function () {
      var room = Number(data.maxPhotos) - photos.length;
      var files = Array.prototype.slice.call(input.files);
      if (files.length > room && data.tooManyPhotos) ESTSync.toast(data.tooManyPhotos, 'warning');
      files.slice(0, Math.max(0, room)).reduce(function (chain, file) {
        return chain.then(function () { return add(file); });
      }, Promise.resolve()).then(function () {
        input.value = '';
        show();
      });
    });

    return {
      list: function () { return photos; },
      set: function (list) { photos = list.slice(); show(); },
      clear: function () { photos = []; show(); },
    };
  }

  global.ESTPhotos = {
    downscale: downscale,
    readGps: readGps,
    prepare: prepare,
    render: render,
    picker: picker,
  };
})(window);
