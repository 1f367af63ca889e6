/* Safety walk maps: the route editor of the plan form (#walk-route-editor) and the protocol's map of
 * the route and the numbered stops (#walk-map); the review page uses the latter for an observation
 * and its likely duplicates.
 *
 * The map is an enhancement: the route field holds the same points as text, and the protocol's table
 * lists the same stops. Colours come from the stylesheet through class names, so they follow the theme.
 */
(function () {
  'use strict';

  if (typeof window.L === 'undefined' || !window.ESTMap) {
    return;
  }
  var L = window.L;
  var reducedMotion = ESTMap.reducedMotion;
  var readJSON = ESTMap.readJSON;
  var validLatLng = ESTMap.validLatLng;

  function createMap(element) {
    return ESTMap.createMap(element, 14);
  }

  function fitTo(map, bounds) {
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [28, 28], maxZoom: 17, animate: false });
    }
  }

  // GeoJSON keeps [lon, lat]; Leaflet wants [lat, lon].
  function routeLatLngs(route) {
    if (!route || route.type !== 'LineString' || !Array.isArray(route.coordinates)) return [];
    return route.coordinates.map(function (point) { return [point[1], point[0]]; }).filter(validLatLng);
  }

  function stopMarker(stop) {
    var label = document.createElement('span');
    label.textContent = String(stop.n);
    return L.marker([stop.lat, stop.lon], {
      icon: L.divIcon({ className: 'walk-stop', html: label, iconSize: [30, 30], iconAnchor: [15, 15] }),
      keyboard: false,
      title: stop.n + ': ' + stop.label
    });
  }

  /* ---- The protocol's map ---- */

  function showWalk(element) {
    var map = createMap(element);
    var bounds = L.latLngBounds([]);
    var route = routeLatLngs(readJSON(element, 'data-route', null));
    if (route.length > 1) {
      var line = L.polyline(route, { className: 'walk-route', weight: 5, interactive: false }).addTo(map);
      bounds.extend(line.getBounds());
    }
    readJSON(element, 'data-stops', []).forEach(function (stop) {
      if (!validLatLng([stop.lat, stop.lon])) return;
      stopMarker(stop).addTo(map);
      bounds.extend([stop.lat, stop.lon]);
    });
    fitTo(map, bounds);
  }

  /* ---- The route editor ---- */

  // Mirrors the server's reading: one "lat, lon" a line, blank lines skipped.
  function parsePoints(text) {
    var points = [];
    text.split(/\r?\n/).forEach(function (line) {
      var parts = line.replace(/;/g, ',').split(',');
      if (parts.length !== 2 || !parts[0].trim() || !parts[1].trim()) return;
      var point = [Number(parts[0]), Number(parts[1])];
      if (validLatLng(point)) points.push(point);
    });
    return points;
  }

  function areaOutline(map, element, select) {
    var data = readJSON(element, 'data-areas', null);
    var layer = null;
    function draw() {
      if (layer) { map.removeLayer(layer); layer = null; }
      if (!data || !select || !select.value) return;
      var chosen = data.features.filter(function (feature) { return String(feature.id) === select.value; });
      if (!chosen.length) return;
      layer = L.geoJSON({ type: 'FeatureCollection', features: chosen }, {
        style: function () { return { className: 'area-shape walk-area', weight: 2, interactive: false }; }
      }).addTo(map);
      return layer.getBounds();
    }
    if (select) {
      select.addEventListener('change', function () {
        var bounds = draw();
        if (bounds) fitTo(map, bounds);
      });
    }
    return draw();
  }

  function editRoute(element, field) {
    var map = createMap(element);
    var drawn = L.layerGroup().addTo(map);
    var undo = document.querySelector('[data-route-undo]');
    var clear = document.querySelector('[data-route-clear]');
    var timer = null;

    function lines() {
      return field.value.split(/\r?\n/).filter(function (line) { return line.trim() !== ''; });
    }

    function draw() {
      var points = parsePoints(field.value);
      drawn.clearLayers();
      if (points.length > 1) {
        L.polyline(points, { className: 'walk-route', weight: 5, interactive: false }).addTo(drawn);
      }
      points.forEach(function (point, index) {
        L.circleMarker(point, {
          className: index === 0 ? 'area-vertex area-vertex--first' : 'area-vertex',
          radius: 6, weight: 2, fillOpacity: 1, interactive: false
        }).addTo(drawn);
      });
      [undo, clear].forEach(function (button) {
        if (button) button.disabled = points.length === 0;
      });
      return points;
    }

    function setLines(newLines) {
      field.value = newLines.length ? newLines.join('\n') + '\n' : '';
      draw();
    }

    map.on('click', function (event) {
      setLines(lines().concat(event.latlng.lat.toFixed(6) + ', ' + event.latlng.lng.toFixed(6)));
    });
    field.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var points = draw();
        if (points.length && !map.getBounds().contains(L.latLngBounds(points))) fitTo(map, L.latLngBounds(points));
      }, 300);
    });
    if (undo) {
      undo.hidden = false;
      undo.addEventListener('click', function () { setLines(lines().slice(0, -1)); });
    }
    if (clear) {
      clear.hidden = false;
      clear.addEventListener('click', function () { setLines([]); });
    }

    element.classList.add('is-editing');
    // The chosen area and the route together, so that the route is seen in its place.
    var bounds = L.latLngBounds([]);
    var areaBounds = areaOutline(map, element, document.querySelector('[data-walk-area]'));
    if (areaBounds) bounds.extend(areaBounds);
    var points = draw();
    if (points.length) bounds.extend(L.latLngBounds(points));
    fitTo(map, bounds);
  }

  function start() {
    // The walk protocol's map, and any other map of numbered places (an observation and its
    // likely duplicates on the review page).
    Array.prototype.forEach.call(document.querySelectorAll('.map[data-stops]'), showWalk);
    var editor = document.getElementById('walk-route-editor');
    var field = document.querySelector('[data-route-points]');
    if (editor && field) editRoute(editor, field);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
