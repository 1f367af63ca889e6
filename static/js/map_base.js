/*
 * What every map of ours shares: reading its settings from data attributes, a Leaflet map that
 * respects reduced motion, and tiles only when a tile URL is configured (none in tests and on
 * closed networks: the styled background stays).
 */
(function (global) {
  'use strict';

  if (typeof global.L === 'undefined') return;
  var L = global.L;
  var reducedMotion = Boolean(global.matchMedia && global.matchMedia('(prefers-reduced-motion: reduce)').matches);
  var DEFAULT_CENTRE = [59.1277, 15.1434];

  function readJSON(element, name, fallback) {
    try {
      var value = JSON.parse(element.getAttribute(name) || 'null');
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }

  function validLatLng(value) {
    return Array.isArray(value) && value.length === 2 &&
      isFinite(value[0]) && isFinite(value[1]) &&
      Math.abs(value[0]) <= 90 && Math.abs(value[1]) <= 180;
  }

  function createMap(element, zoom) {
    var centre = readJSON(element, 'data-centre', DEFAULT_CENTRE);
    var map = L.map(element, {
      center: validLatLng(centre) ? centre : DEFAULT_CENTRE,
      zoom: zoom || 13,
      zoomSnap: 0.25, // lets fitBounds fill the map rather than drop a whole level
      zoomAnimation: !reducedMotion,
      fadeAnimation: !reducedMotion,
      markerZoomAnimation: !reducedMotion,
      zoomControl: false
    });
    // Leaflet's own button titles are English; the page gives them in its language.
    var texts = document.documentElement.dataset;
    L.control.zoom({
      zoomInTitle: texts.zoomIn || 'Zoom in',
      zoomOutTitle: texts.zoomOut || 'Zoom out'
    }).addTo(map);
    var tiles = (element.getAttribute('data-tiles') || '').trim();
    if (tiles) {
      L.tileLayer(tiles, { attribution: element.getAttribute('data-attribution') || '', maxZoom: 19 }).addTo(map);
    }
    return map;
  }

  global.ESTMap = {
    reducedMotion: reducedMotion,
    readJSON: readJSON,
    validLatLng: validLatLng,
    createMap: createMap,
  };
})(window);
