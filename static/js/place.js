/*
 * What the report forms share: ids made on the device, times with their offset, and the place
 * picker (the device's position, a draggable pin on the map, or an area chosen from a list —
 * the map is an enhancement, capture works without it and without tiles).
 */
(function (global) {
  'use strict';

  function uuid() {
    if (global.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join('');
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
  }

  function pad(n) { return String(n).padStart(2, '0'); }

  function localInputValue(date) {
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) +
      'T' + pad(date.getHours()) + ':' + pad(date.getMinutes());
  }

  /* ISO 8601 in local time with its offset, e.g. 2026-11-27T14:05:00+01:00. */
  function isoWithOffset(date) {
    var offset = -date.getTimezoneOffset();
    var abs = Math.abs(offset);
    return localInputValue(date) + ':00' + (offset >= 0 ? '+' : '-') + pad(Math.floor(abs / 60)) + ':' + pad(abs % 60);
  }

  /*
   * Wires the place fields of `form` (hidden lat/lon/accuracy_m, [data-capture-map],
   * [data-locate], [data-position-status]); `texts` holds positionFound ({m}) and positionFailed.
   */
  function picker(form, texts) {
    var map = null;
    var marker = null;
    function field(name) { return form.elements.namedItem(name); }
    function status(message) {
      var box = form.querySelector('[data-position-status]');
      if (box) box.textContent = message;
    }

    function set(lat, lon, accuracy, fromDevice) {
      field('lat').value = lat.toFixed(6);
      field('lon').value = lon.toFixed(6);
      field('accuracy_m').value = accuracy === null || accuracy === undefined ? '' : Math.round(accuracy);
      if (fromDevice) status(texts.positionFound.replace('{m}', Math.round(accuracy)));
      if (!map) return;
      if (!marker) {
        marker = L.marker([lat, lon], { draggable: true, keyboard: true }).addTo(map);
        marker.on('dragend', function () {
          var moved = marker.getLatLng();
          set(moved.lat, moved.lng, null, false);
        });
      } else {
        marker.setLatLng([lat, lon]);
      }
      map.setView([lat, lon], Math.max(map.getZoom(), 16));
    }

    function locate() {
      if (!navigator.geolocation) { status(texts.positionFailed); return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        set(position.coords.latitude, position.coords.longitude, position.coords.accuracy, true);
      }, function () {
        status(texts.positionFailed);
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    }

    var box = form.querySelector('[data-capture-map]');
    if (box && typeof L !== 'undefined') {
      box.hidden = false;
      map = L.map(box).setView(JSON.parse(box.dataset.centre), 14);
      if (box.dataset.tiles) {
        L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
      }
      map.on('click', function (event) { set(event.latlng.lat, event.latlng.lng, null, false); });
    }
    var button = form.querySelector('[data-locate]');
    if (button) {
      button.hidden = false;
      button.addEventListener('click', locate);
    }
    return {
      set: set,
      locate: locate,
      clear: function () {
        ['lat', 'lon', 'accuracy_m'].forEach(function (name) { field(name).value = ''; });
        if (marker) { marker.remove(); marker = null; }
        status('');
      },
      has: function () { return Boolean(field('lat').value && field('lon').value); },
    };
  }

  global.ESTPlace = {
    uuid: uuid,
    localInputValue: localInputValue,
    isoWithOffset: isoWithOffset,
    picker: picker,
  };
})(window);
