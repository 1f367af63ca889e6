/*
 * The capture form ("Ny rapport"): writes every report to the outbox first, online or not.
 * Photos are downscaled on the device to at most 2048 px JPEG before they are stored.
 * Without this script the form still posts to the server directly.
 */
(function () {
  'use strict';

  var MAX_SIDE = 2048;
  var JPEG_QUALITY = 0.85;
  var GATHERING = 'SAMLING';

  var form = document.querySelector('[data-capture]');
  if (!form || !window.ESTOutbox || !window.indexedDB) return;

  var data = form.dataset;
  var userId = document.body.dataset.userId;
  var photos = [];
  var editing = null;
  var editingOriginalId = null;
  var map = null;
  var marker = null;

  function field(name) { return form.elements.namedItem(name); }

  function uuid() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function pad(n) { return String(n).padStart(2, '0'); }

  function localInputValue(date) {
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) +
      'T' + pad(date.getHours()) + ':' + pad(date.getMinutes());
  }

  /* ISO 8601 in local time with its offset, e.g. 2026-11-27T14:05:00+01:00. */
  function isoWithOffset(date) {
    var offset = -date.getTimezoneOffset();
    var sign = offset >= 0 ? '+' : '-';
    var abs = Math.abs(offset);
    return localInputValue(date) + ':00' + sign + pad(Math.floor(abs / 60)) + ':' + pad(abs % 60);
  }

  /* The device's own clock and zone decide "now" (the server rendered its own zone's time). */
  function setTimeLimits(keepValue) {
    var input = field('occurred_at');
    var now = new Date();
    input.max = localInputValue(now);
    if (!keepValue || !input.value) input.value = localInputValue(now);
  }

  /* --- category --- */

  function chosenCategory() {
    var checked = form.querySelector('input[name="category"]:checked');
    return checked ? checked : null;
  }

  function showGatheringFields() {
    var chosen = chosenCategory();
    var box = form.querySelector('[data-gathering-fields]');
    if (box) box.hidden = !(chosen && chosen.dataset.main === GATHERING);
  }

  function watchCategories() {
    form.querySelectorAll('details[data-main]').forEach(function (group) {
      group.addEventListener('toggle', function () {
        if (!group.open) return;
        form.querySelectorAll('details[data-main]').forEach(function (other) {
          if (other !== group) other.open = false;
        });
      });
    });
    form.addEventListener('change', function (event) {
      if (event.target.name === 'category') showGatheringFields();
    });
    showGatheringFields();
  }

  /* --- position --- */

  function status(message) {
    var box = form.querySelector('[data-position-status]');
    if (box) box.textContent = message;
  }

  function setPosition(lat, lon, accuracy, fromDevice) {
    field('lat').value = lat.toFixed(6);
    field('lon').value = lon.toFixed(6);
    field('accuracy_m').value = accuracy === null ? '' : Math.round(accuracy);
    if (fromDevice) status(data.positionFound.replace('{m}', Math.round(accuracy)));
    if (map) {
      var point = [lat, lon];
      if (!marker) {
        marker = L.marker(point, { draggable: true, keyboard: true }).addTo(map);
        marker.on('dragend', function () {
          var moved = marker.getLatLng();
          setPosition(moved.lat, moved.lng, null, false);
        });
      } else {
        marker.setLatLng(point);
      }
      map.setView(point, Math.max(map.getZoom(), 16));
    }
  }

  function locate() {
    if (!navigator.geolocation) { status(data.positionFailed); return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      setPosition(position.coords.latitude, position.coords.longitude, position.coords.accuracy, true);
    }, function () {
      status(data.positionFailed);
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  }

  /* Choosing an area says the position is missing or wrong (so the page's hint tells the user):
   * the device's position is dropped and the server takes the area's centre. */
  function watchArea() {
    field('area_id').addEventListener('change', function () {
      if (!field('area_id').value) return;
      ['lat', 'lon', 'accuracy_m'].forEach(function (name) { field(name).value = ''; });
      if (marker) { map.removeLayer(marker); marker = null; }
      status('');
    });
  }

  function initMap() {
    var box = form.querySelector('[data-capture-map]');
    if (!box || typeof L === 'undefined') return;
    box.hidden = false;
    map = L.map(box).setView(JSON.parse(box.dataset.centre), 14);
    if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
    }
    map.on('click', function (event) { setPosition(event.latlng.lat, event.latlng.lng, null, false); });
  }

  /* --- photos --- */

  /* Reads the GPS position from a JPEG's EXIF, or null. */
  function readGps(buffer) {
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
    var offset = 2;
    while (offset + 4 < view.byteLength) {
      var marker = view.getUint16(offset);
      var size = view.getUint16(offset + 2);
      if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) return gpsFromTiff(view, offset + 10);
      if ((marker & 0xff00) !== 0xff00) return null;
      offset += 2 + size;
    }
    return null;
  }

  function gpsFromTiff(view, tiff) {
    var little = view.getUint16(tiff) === 0x4949;
    function u16(at) { return view.getUint16(at, little); }
    function u32(at) { return view.getUint32(at, little); }
    function entries(ifd) {
      var found = {};
      var count = u16(ifd);
      for (var i = 0; i < count; i += 1) {
        var entry = ifd + 2 + i * 12;
        found[u16(entry)] = entry;
      }
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
      return isFinite(lat) && isFinite(lon) ? { lat: lat, lon: lon } : null;
    } catch (error) {
      return null;
    }
  }

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

  function offerPhotoPosition(buffer) {
    if (field('lat').value) return;
    var gps = readGps(buffer);
    if (gps && window.confirm(data.photoPosition)) setPosition(gps.lat, gps.lon, null, false);
  }

  function addPhoto(file) {
    return file.arrayBuffer().then(function (original) {
      offerPhotoPosition(original);
      return downscale(file);
    }).then(function (blob) {
      return blob.arrayBuffer().then(function (buffer) {
        photos.push({ id: uuid(), type: 'image/jpeg', data: buffer, sent: false });
      });
    }).catch(function () {
      ESTSync.toast(data.photoFailed, 'error');
    });
  }

  function renderPhotos() {
    var list = form.querySelector('[data-photo-previews]');
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
      remove.setAttribute('aria-label', (index + 1) + ': ' + (document.documentElement.lang === 'en' ? 'Remove photo' : 'Ta bort bilden'));
      remove.addEventListener('click', function () { photos.splice(index, 1); renderPhotos(); });
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  function watchPhotos() {
    var input = field('photos');
    input.addEventListener('change', function () {
      var room = Number(data.maxPhotos) - photos.length;
      var files = Array.prototype.slice.call(input.files);
      if (files.length > room) ESTSync.toast(data.tooManyPhotos, 'warning');
      files.slice(0, Math.max(0, room)).reduce(function (chain, file) {
        return chain.then(function () { return addPhoto(file); });
      }, Promise.resolve()).then(function () {
        input.value = '';
        renderPhotos();
      });
    });
  }

  /* --- saving --- */

  function numberOrNull(name) {
    var value = field(name) && field(name).value;
    return value === '' || value === undefined || value === null ? null : Number(value);
  }

  function checkedValue(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }

  /* --- the safety walk's checklist --- */

  /* The answers for this stop: {key: "brist" | 1..5}, or null when nothing is answered.
   * A draft opened on a page without its walk's questions keeps the answers it had. */
  function checklistAnswers() {
    var inputs = form.querySelectorAll('input[name^="checklist-"]');
    if (!inputs.length) return (editing && editing.payload.checklist) || null;
    var answers = {};
    Array.prototype.forEach.call(inputs, function (input) {
      if (!input.checked) return;
      var key = input.name.slice('checklist-'.length);
      answers[key] = input.dataset.scale === '1-5' ? Number(input.value) : input.value;
    });
    return Object.keys(answers).length ? answers : null;
  }

  function showChecklist(answers) {
    Object.keys(answers || {}).forEach(function (key) {
      var input = form.querySelector('input[name="checklist-' + CSS.escape(key) + '"][value="' +
        CSS.escape(String(answers[key])) + '"]');
      if (input) input.checked = true;
    });
  }

  /* A page the device kept for another address may lack the walk that the address names. */
  function warnIfWalkMissing() {
    var named = new URLSearchParams(window.location.search).get('vandring');
    if (!named) return;
    var notice = document.querySelector('[data-walk-notice]');
    if (!notice || notice.dataset.walkNotice !== named) ESTSync.toast(data.walkStale, 'warning');
  }

  /* The walk stays in the address after a save, so that a reload still reports on it. */
  function walkQuery() {
    var named = new URLSearchParams(window.location.search).get('vandring');
    return named ? '?vandring=' + encodeURIComponent(named) : '';
  }

  function payload(id) {
    var category = chosenCategory();
    var gathering = category && category.dataset.main === GATHERING;
    return {
      id: id,
      occurred_at: isoWithOffset(new Date(field('occurred_at').value || Date.now())),
      lat: numberOrNull('lat'),
      lon: numberOrNull('lon'),
      accuracy_m: numberOrNull('accuracy_m'),
      area_id: numberOrNull('area_id'),
      category: category ? category.value : null,
      place_text: field('place_text').value.trim(),
      place_type: field('place_type').value || null,
      description: field('description').value.trim(),
      persons_count: gathering ? numberOrNull('persons_count') : null,
      age_group: gathering ? field('age_group').value || null : null,
      assessment: checkedValue('assessment') ? Number(checkedValue('assessment')) : null,
      police_reported: field('police_reported').checked,
      walk_id: field('walk_id').value || null,
      checklist: checklistAnswers(),
    };
  }

  function summary(body) {
    var category = chosenCategory();
    var label = category ? category.parentElement.textContent.trim() : '';
    var areaSelect = field('area_id');
    var area = areaSelect.value ? areaSelect.options[areaSelect.selectedIndex].text : '';
    return {
      title: label,
      place: [area, body.place_text].filter(Boolean).join(' · '),
      when: new Date(body.occurred_at).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'sv-SE', {
        day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
      }),
    };
  }

  function showError(message) {
    ESTSync.toast(message, 'error');
  }

  function validate(body) {
    var missing = [];
    if (!body.category) missing.push(form.querySelector('.capture__legend').textContent);
    if ((body.lat === null || body.lon === null) && body.area_id === null) {
      missing.push(form.querySelectorAll('.capture__legend')[1].textContent);
    }
    if (new Date(body.occurred_at).getTime() > Date.now() + 5 * 60000) missing.push(field('occurred_at').labels[0].textContent);
    if (missing.length) showError(missing.join(', '));
    return missing.length === 0;
  }

  function save(event) {
    event.preventDefault();
    var id = editing ? editing.id : field('id').value;
    var body = payload(id);
    if (!validate(body)) return;
    var item = {
      id: id,
      kind: 'observation',
      user_id: userId,
      endpoint: '/api/v1/observations',
      photo_endpoint: '/api/v1/observations/{id}/photos/',
      payload: body,
      summary: summary(body),
      photos: photos,
    };
    var saving;
    if (editing && editing.id === editingOriginalId) {
      saving = ESTOutbox.replace(Object.assign(editing, item, { posted: false }));
    } else {
      var removing = editing ? ESTOutbox.remove(editingOriginalId) : Promise.resolve();
      saving = removing.then(function () { return ESTOutbox.add(item); });
    }
    saving.then(function () {
      ESTSync.toast(data.savedMessage, 'success');
      reset();
      ESTSync.captured();
    }, function () {
      showError(data.photoFailed);
    });
  }

  function reset() {
    editing = null;
    photos = [];
    form.reset();
    field('id').value = uuid();
    form.querySelectorAll('details[data-main]').forEach(function (group) { group.open = false; });
    setTimeLimits(false);
    renderPhotos();
    showGatheringFields();
    if (history.replaceState) history.replaceState(null, '', window.location.pathname + walkQuery());
    window.scrollTo(0, 0);
  }

  /* Loads a refused report back into the form so that the user can fix and resend it. */
  function loadDraft(id) {
    return ESTOutbox.get(id).then(function (item) {
      if (!item || String(item.user_id) !== String(userId)) return;
      if (item.posted) return;  // the server has it; only its photos can still be dealt with
      editing = item;
      editingOriginalId = item.id;
      // A conflict (409) means the server holds this id already: the fix goes out as a new report.
      if (item.status === 409) editing.id = uuid();
      var body = item.payload;
      ['place_text', 'description', 'place_type', 'age_group', 'walk_id'].forEach(function (name) {
        if (field(name)) field(name).value = body[name] || '';
      });
      ['persons_count', 'area_id', 'lat', 'lon', 'accuracy_m'].forEach(function (name) {
        field(name).value = body[name] === null || body[name] === undefined ? '' : body[name];
      });
      field('occurred_at').value = localInputValue(new Date(body.occurred_at));
      field('police_reported').checked = Boolean(body.police_reported);
      var category = form.querySelector('input[name="category"][value="' + body.category + '"]');
      if (category) { category.checked = true; category.closest('details').open = true; }
      var assessment = form.querySelector('input[name="assessment"][value="' + body.assessment + '"]');
      if (assessment) assessment.checked = true;
      showChecklist(body.checklist);
      photos = item.photos.filter(function (photo) { return !photo.sent; });
      if (body.lat !== null && map) setPosition(body.lat, body.lon, body.accuracy_m, false);
      renderPhotos();
      showGatheringFields();
      if (item.message) showError(item.message);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    field('id').value = uuid();
    setTimeLimits(false);
    watchCategories();
    watchPhotos();
    initMap();
    watchArea();
    var locateButton = form.querySelector('[data-locate]');
    locateButton.hidden = false;
    locateButton.addEventListener('click', locate);
    form.addEventListener('submit', save);
    var draft = new URLSearchParams(window.location.search).get('utkast');
    if (draft) loadDraft(draft); else locate();
    warnIfWalkMissing();
  });
})();
