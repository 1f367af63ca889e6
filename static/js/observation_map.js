/* The observation map (/karta): the filtered observations in the view as clustered markers or a heat
 * map, the areas with their names, and a list beside the map that is its text alternative.
 *
 * The server sends only what the view needs: single points when there are few (and the user may see
 * them), otherwise counts per cell. Every move asks again (debounced), cancelling the question before.
 * Colours come from the stylesheet through class names, so the map follows the light and dark theme.
 */
(function () {
  'use strict';

  if (typeof window.L === 'undefined' || !window.ESTMap || !L.markerClusterGroup || !L.heatLayer) {
    return;
  }
  var VIEW_KEY = 'est-observation-map-view';
  var DEBOUNCE_MS = 250;
  var MAX_ZOOM = 19; // as far as map_base.js lets tiles go; the server allows 20
  var lang = document.documentElement.lang || 'sv';
  var numbers = new Intl.NumberFormat(lang);
  var dates = new Intl.DateTimeFormat(lang, {
    timeZone: 'Europe/Stockholm', day: 'numeric', month: 'short', year: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
  });

  // "{n} observations": the page's translated texts with their placeholders filled in.
  function say(element, name, values) {
    var text = element.getAttribute('data-text-' + name) || '';
    Object.keys(values || {}).forEach(function (key) {
      text = text.split('{' + key + '}').join(values[key]);
    });
    return text;
  }

  function countText(status, n) {
    if (n === 0) return say(status, 'none');
    return n === 1 ? say(status, 'one') : say(status, 'many', { n: numbers.format(n) });
  }

  function formatDate(iso) {
    // Swedish style guides write "27 nov 2026", without CLDR's abbreviation point.
    return dates.format(new Date(iso)).replace(/\./g, '');
  }

  function element(tag, className, text) {
    var found = document.createElement(tag);
    if (className) found.className = className;
    if (text !== undefined) found.textContent = text;
    return found;
  }

  /* ---- What the map draws ---- */

  function pointMarker(point, texts) {
    var label = [point.category_name, point.status_label, formatDate(point.occurred_at)].join(', ');
    var marker = L.marker([point.lat, point.lon], {
      icon: L.divIcon({ className: 'map-point map-point--' + point.status, iconSize: [32, 32] }),
      title: label,
      autoPanOnFocus: false // a pan would fetch anew and replace the focused marker
    });
    var popup = element('div', 'map-popup');
    popup.appendChild(element('p', '', label));
    var link = element('a', '', texts.getAttribute('data-text-open'));
    link.href = point.url;
    popup.appendChild(link);
    return marker.bindPopup(popup);
  }

  function countIcon(className, count, label) {
    var html = element('span');
    html.appendChild(element('span', 'visually-hidden', label));
    var shown = element('span', '', numbers.format(count));
    shown.setAttribute('aria-hidden', 'true');
    html.appendChild(shown);
    var size = count < 100 ? 40 : count < 10000 ? 48 : 56;
    return L.divIcon({ className: className, html: html, iconSize: [size, size] });
  }

  function cellMarker(cell, map, texts) {
    var label = say(texts, 'cluster', { n: numbers.format(cell.count) });
    var marker = L.marker([cell.lat, cell.lon], {
      icon: countIcon('map-count map-count--cell', cell.count, label), autoPanOnFocus: false
    });
    function zoomIn() { map.setView([cell.lat, cell.lon], Math.min(map.getZoom() + 2, MAX_ZOOM)); }
    marker.on('click', zoomIn);
    marker.on('keypress', function (event) { if (pressed(event)) zoomIn(); });
    return marker;
  }

  // Markers are buttons for the keyboard: Enter or Space does what a click does.
  function pressed(event) {
    return event.originalEvent.key === 'Enter' || event.originalEvent.key === ' ';
  }

  function clusterGroup(map, texts) {
    var group = L.markerClusterGroup({
      showCoverageOnHover: false,
      animate: !ESTMap.reducedMotion,
      iconCreateFunction: function (cluster) {
        var count = cluster.getChildCount();
        return countIcon('map-count', count, say(texts, 'cluster', { n: numbers.format(count) }));
      }
    });
    group.on('clusterkeypress', function (event) {
      if (!pressed(event)) return;
      // Reports from one address stay together at any zoom: spread them out instead.
      if (map.getZoom() >= map.getMaxZoom()) event.layer.spiderfy(); else event.layer.zoomToBounds();
    });
    return group;
  }

  function drawAreas(url, layer) {
    return fetch(url, { credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !Array.isArray(data.features)) return;
        L.geoJSON(data, {
          interactive: false,
          style: function (feature) {
            var priority = Boolean(feature.properties && feature.properties.prioritised);
            return { className: priority ? 'area-shape area-shape--priority' : 'area-shape', weight: 2 };
          },
          onEachFeature: function (feature, shape) {
            var name = feature.properties && feature.properties.name;
            if (!name) return;
            shape.bindTooltip(element('span', '', String(name)), {
              permanent: true, direction: 'center', opacity: 1, className: 'area-label'
            });
          }
        }).eachLayer(function (shape) { layer.addLayer(shape); });
      })
      .catch(function () { /* the areas are context; the observations still show */ });
  }

  /* ---- The list beside the map ---- */

  function pointItem(point) {
    var item = element('li', 'report-list__item');
    var link = element('a', 'report-list__title', point.category_name);
    link.href = point.url;
    item.appendChild(link);
    item.appendChild(element('span', 'badge badge--status-' + point.status, point.status_label));
    var when = element('time', 'report-list__meta', formatDate(point.occurred_at));
    when.dateTime = point.occurred_at;
    item.appendChild(when);
    return item;
  }

  function areaItem(area, summary) {
    var item = element('li', 'report-list__item');
    item.appendChild(element('span', 'report-list__title', area.name || say(summary, 'outside')));
    item.appendChild(element('span', 'map-list__count', numbers.format(area.count)));
    return item;
  }

  function showList(answer, visible, page) {
    var summary = page.summary;
    var items = answer.kind === 'points'
      ? answer.points.filter(function (point) { return visible.contains([point.lat, point.lon]); })
      : answer.areas || [];
    var total = answer.kind === 'points' ? items.length : answer.total;
    var name = answer.kind === 'points' ? 'points' : page.cellsOnly ? 'cells-only' : 'cells';
    summary.textContent = say(summary, name, { n: numbers.format(total) });
    page.list.replaceChildren.apply(page.list, items.map(function (item) {
      return answer.kind === 'points' ? pointItem(item) : areaItem(item, summary);
    }));
    return total;
  }

  /* ---- Asking the server ---- */

  function viewQuery(map) {
    var bounds = map.getBounds();
    var params = new URLSearchParams(window.location.search);
    params.delete('lat'); // where the map started, not a filter
    params.delete('lon');
    // Leaflet's bounds run past ±180 when the world repeats; the server wants them within.
    var box = [
      Math.max(-180, bounds.getWest()), Math.max(-90, bounds.getSouth()),
      Math.min(180, bounds.getEast()), Math.min(90, bounds.getNorth())
    ];
    params.set('bbox', box.map(function (value) { return value.toFixed(6); }).join(','));
    params.set('zoom', String(Math.max(0, Math.min(MAX_ZOOM, Math.round(map.getZoom())))));
    return params.toString();
  }

  function failure(response, status) {
    if (response.status === 401) return Promise.reject(say(status, 'logged-out'));
    return response.json().then(
      function (body) { return Promise.reject(say(status, 'refused', { why: body.error || response.statusText })); },
      function () { return Promise.reject(say(status, 'error')); }
    );
  }

  function loader(url, status) {
    var running = null;
    return function load(query) {
      if (running) running.abort();
      running = new AbortController();
      status.textContent = say(status, 'loading');
      status.classList.remove('map-status--error');
      return fetch(url + '?' + query, { credentials: 'same-origin', signal: running.signal })
        .then(function (response) { return response.ok ? response.json() : failure(response, status); })
        .catch(function (error) {
          if (error && error.name === 'AbortError') return Promise.reject(error);
          status.textContent = typeof error === 'string' ? error : say(status, 'error');
          status.classList.add('map-status--error');
          return Promise.reject(error);
        });
    };
  }

  /* ---- The page ---- */

  // A link may ask for a place (?lat=…&lon=…&zoom=…); else the view left last time, else the
  // whole municipality.
  function linkedView() {
    var params = new URLSearchParams(window.location.search);
    var centre = [Number(params.get('lat')), Number(params.get('lon'))];
    var zoom = Number(params.get('zoom') || 16);
    return params.has('lat') && ESTMap.validLatLng(centre) && isFinite(zoom) ? { centre: centre, zoom: zoom } : null;
  }

  function savedView() {
    try {
      return JSON.parse(window.sessionStorage.getItem(VIEW_KEY) || 'null');
    } catch (error) {
      return null; // storage may be off
    }
  }

  function startView(map, element) {
    var view = linkedView() || savedView();
    if (view && ESTMap.validLatLng(view.centre) && isFinite(view.zoom)) {
      map.setView(view.centre, Math.min(view.zoom, MAX_ZOOM), { animate: false });
      return;
    }
    var b = ESTMap.readJSON(element, 'data-bounds', null); // south, west, north, east
    if (Array.isArray(b) && b.length === 4) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { animate: false });
  }

  function rememberView(map) {
    try {
      var centre = map.getCenter();
      window.sessionStorage.setItem(VIEW_KEY, JSON.stringify({ centre: [centre.lat, centre.lng], zoom: map.getZoom() }));
    } catch (error) { /* only a convenience */ }
  }

  function draw(answer, map, layers, texts) {
    layers.markers.clearLayers();
    layers.cells.clearLayers();
    if (answer.kind === 'points') {
      layers.markers.addLayers(answer.points.map(function (point) { return pointMarker(point, texts); }));
      layers.heat.setOptions({ max: 3 });
      layers.heat.setLatLngs(answer.points.map(function (point) { return [point.lat, point.lon, 1]; }));
      return;
    }
    answer.cells.forEach(function (cell) { layers.cells.addLayer(cellMarker(cell, map, texts)); });
    var most = answer.cells.reduce(function (max, cell) { return Math.max(max, cell.count); }, 1);
    layers.heat.setOptions({ max: most });
    layers.heat.setLatLngs(answer.cells.map(function (cell) { return [cell.lat, cell.lon, cell.count]; }));
  }

  // The points of the last answer already hold everything inside its box: no need to ask again.
  function covers(answer, box, map) {
    return answer && answer.kind === 'points' && box.contains(map.getBounds());
  }

  function showStyle(map, layers, style) {
    var markers = style !== 'heat';
    [layers.markers, layers.cells].forEach(function (layer) {
      if (markers) map.addLayer(layer); else map.removeLayer(layer);
    });
    if (markers) map.removeLayer(layers.heat); else map.addLayer(layers.heat);
  }

  function wireControls(map, layers) {
    var controls = document.querySelector('[data-map-layers]');
    if (!controls) return;
    controls.hidden = false;
    controls.addEventListener('change', function (event) {
      var input = event.target;
      if (input.name === 'map-style') showStyle(map, layers, input.value);
      if (input.name === 'map-areas') {
        if (input.checked) map.addLayer(layers.areas); else map.removeLayer(layers.areas);
      }
      // Police events join here as one more overlay when the police import brings them.
    });
  }

  function foldFilterOnPhones() {
    var details = document.querySelector('[data-map-filter]');
    var narrow = window.matchMedia && window.matchMedia('(max-width: 959px)').matches;
    if (details && narrow && !details.querySelector('.field--error')) details.open = false;
  }

  // Asks for the view's observations, unless the last answer's points already hold them.
  function refresher(map, layers, page, load) {
    var last = null;
    var lastBox = null;
    function show(answer) {
      page.status.textContent = countText(page.status, showList(answer, map.getBounds(), page));
    }
    return function refresh() {
      rememberView(map);
      if (covers(last, lastBox, map)) return show(last);
      var box = map.getBounds();
      load(viewQuery(map)).then(function (answer) {
        last = answer;
        lastBox = box;
        draw(answer, map, layers, page.texts);
        show(answer);
      }, function () { /* the status line tells what went wrong */ });
    };
  }

  function refreshOnMoves(map, refresh) {
    // A popup pans the map into view; asking anew then would redraw the markers and close it.
    var timer = null;
    var popupOpen = false;
    var waiting = false;
    function schedule() {
      window.clearTimeout(timer);
      waiting = popupOpen;
      if (!popupOpen) timer = window.setTimeout(refresh, DEBOUNCE_MS);
    }
    map.on('popupopen', function () { popupOpen = true; });
    map.on('popupclose', function () {
      popupOpen = false;
      if (waiting) schedule();
    });
    map.on('moveend', schedule);
  }

  // Keyboard users land in the popup they opened, and its close button speaks the page's language.
  function focusPopups(map, texts) {
    map.on('popupopen', function (event) {
      var popup = event.popup.getElement();
      var close = popup.querySelector('.leaflet-popup-close-button');
      if (close) close.setAttribute('aria-label', texts.getAttribute('data-text-close'));
      var link = popup.querySelector('a[href]:not(.leaflet-popup-close-button)');
      if (link) link.focus({ preventScroll: true });
    });
  }

  function start(mapElement) {
    var page = {
      texts: mapElement,
      status: document.querySelector('[data-map-status]'),
      summary: document.querySelector('[data-map-summary]'),
      list: document.querySelector('[data-map-list]'),
      cellsOnly: mapElement.hasAttribute('data-cells-only')
    };
    var map = ESTMap.createMap(mapElement, 13);
    map.setMaxZoom(MAX_ZOOM); // clustering needs one, and without tiles the map has none
    var layers = {
      markers: clusterGroup(map, mapElement).addTo(map),
      cells: L.layerGroup().addTo(map),
      heat: L.heatLayer([], { radius: 25, blur: 18, maxZoom: 0 }), // maxZoom 0: no fading by zoom
      areas: L.layerGroup().addTo(map)
    };
    var refresh = refresher(map, layers, page, loader(mapElement.getAttribute('data-observations-url'), page.status));
    foldFilterOnPhones();
    wireControls(map, layers);
    drawAreas(mapElement.getAttribute('data-areas-url'), layers.areas);
    startView(map, mapElement);
    refreshOnMoves(map, refresh);
    focusPopups(map, mapElement);
    refresh();
  }

  var mapElement = document.getElementById('observation-map');
  if (mapElement) start(mapElement);
})();
