/* Area maps: the overview of all areas (#areas-map) and the boundary editor (#area-editor).
 *
 * The map is an enhancement. The table beside the overview and the boundary text field of the editor
 * hold the same information, so without Leaflet, tiles or this script nothing is lost. Colours come
 * from the stylesheet through class names, so the shapes follow the light and dark theme.
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
    return ESTMap.createMap(element, 13);
  }

  // Leaflet puts string content in as HTML; an element keeps names as plain text.
  function textLabel(text) {
    var span = document.createElement('span');
    span.textContent = text;
    return span;
  }

  function fitTo(map, bounds, animate) {
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17, animate: Boolean(animate) && !reducedMotion });
    }
  }

  /* ---- Overview of all areas ---- */

  function showAreas(element) {
    var map = createMap(element);
    var data = readJSON(element, 'data-areas', null);
    if (!data || !Array.isArray(data.features) || data.features.length === 0) {
      return;
    }
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var prioritised = Boolean(feature.properties && feature.properties.prioritised);
        return {
          className: prioritised ? 'area-shape area-shape--priority' : 'area-shape',
          weight: prioritised ? 4 : 2.5
        };
      },
      onEachFeature: function (feature, shape) {
        var properties = feature.properties || {};
        if (properties.name) {
          shape.bindTooltip(textLabel(String(properties.name)), {
            permanent: true,
            direction: 'center',
            opacity: 1,
            className: properties.prioritised ? 'area-label area-label--priority' : 'area-label'
          });
        }
      }
    }).addTo(map);
    fitTo(map, layer.getBounds());
  }

  /* ---- Boundary editor ---- */

  // Mirrors the server's reading: one "lat, lon" a line, ";" allowed, blank lines skipped.
  function parsePoints(text) {
    var points = [];
    text.split(/\r?\n/).forEach(function (line) {
      var parts = line.replace(/;/g, ',').split(',');
      if (parts.length !== 2 || !parts[0].trim() || !parts[1].trim()) {
        return;
      }
      var point = [Number(parts[0]), Number(parts[1])];
      if (validLatLng(point)) {
        points.push(point);
      }
    });
    return points;
  }

  function pointLine(latlng) {
    return latlng.lat.toFixed(6) + ', ' + latlng.lng.toFixed(6);
  }

  function editBoundary(element, field) {
    var map = createMap(element);
    var drawn = L.layerGroup().addTo(map);
    var undo = document.querySelector('[data-area-undo]');
    var clear = document.querySelector('[data-area-clear]');
    var timer = null;

    function lines() {
      return field.value.split(/\r?\n/).filter(function (line) {
        return line.trim() !== '';
      });
    }

    function draw() {
      var points = parsePoints(field.value);
      drawn.clearLayers();
      if (points.length >= 3) {
        L.polygon(points, { className: 'area-shape', weight: 3, interactive: false }).addTo(drawn);
      } else if (points.length === 2) {
        L.polyline(points, { className: 'area-shape', weight: 3, interactive: false }).addTo(drawn);
      }
      points.forEach(function (point, index) {
        L.circleMarker(point, {
          className: index === 0 ? 'area-vertex area-vertex--first' : 'area-vertex',
          radius: 6,
          weight: 2,
          fillOpacity: 1,
          interactive: false
        }).addTo(drawn);
      });
      [undo, clear].forEach(function (button) {
        if (button) {
          button.disabled = points.length === 0;
        }
      });
      return points;
    }

    function setLines(newLines) {
      field.value = newLines.length ? newLines.join('\n') + '\n' : '';
      draw();
    }

    map.on('click', function (event) {
      setLines(lines().concat(pointLine(event.latlng)));
    });

    field.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var points = draw();
        // Pasted or typed points off screen: bring them into view.
        if (points.length) {
          var bounds = L.latLngBounds(points);
          if (!map.getBounds().contains(bounds)) {
            fitTo(map, bounds, true);
          }
        }
      }, 300);
    });

    if (undo) {
      undo.hidden = false;
      undo.addEventListener('click', function () {
        setLines(lines().slice(0, -1));
      });
    }
    if (clear) {
      clear.hidden = false;
      clear.addEventListener('click', function () {
        setLines([]);
      });
    }

    element.classList.add('is-editing');
    var points = draw();
    if (points.length) {
      fitTo(map, L.latLngBounds(points));
    }
  }

  function start() {
    var overview = document.getElementById('areas-map');
    if (overview) {
      showAreas(overview);
    }
    var editor = document.getElementById('area-editor');
    var field = document.querySelector('[data-area-points]');
    if (editor && field) {
      editBoundary(editor, field);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
