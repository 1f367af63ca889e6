/*
 * EST's service worker. The server prepends `self.EST_SHELL = {version, files, pages, tiles}`,
 * where the version is a hash of the shell files' content, so every deploy brings a new cache.
 * Pages: network first, cached copy or the offline page when the network fails.
 * Static files: stale-while-revalidate. Map tiles the user has seen: cache first, bounded.
 * The API is never cached. The outbox is flushed on Background Sync.
 */
'use strict';

importScripts('/static/js/outbox.js');

var SHELL = self.EST_SHELL;
var STATIC_CACHE = 'est-static-' + SHELL.version;
var PAGE_CACHE = 'est-pages';
var TILE_CACHE = 'est-tiles';
var TILE_LIMIT = 400;
var OFFLINE_URL = SHELL.pages[0];

function tileOrigin() {
  if (!SHELL.tiles) return null;
  try {
    return new URL(SHELL.tiles.replace('{s}', 'a')).host.replace(/^a\./, '');
  } catch (error) {
    return null;
  }
}
var TILE_HOST = tileOrigin();

/* Caches a page only when the user may really see it (a redirect to log-in is not kept). */
function cachePage(cache, url) {
  return fetch(url, { credentials: 'same-origin', redirect: 'manual' }).then(function (response) {
    if (response.ok && response.type === 'basic') return cache.put(url, response);
    return null;
  }).catch(function () { return null; });
}

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) {
      // The offline page is fetched without cookies, so it holds nobody's data and can stay
      // with the static files when a user's pages are forgotten.
      return cache.addAll(SHELL.files).then(function () {
        return fetch(OFFLINE_URL, { credentials: 'omit' });
      }).then(function (response) {
        if (!response.ok) throw new Error('offline page not available');
        return cache.put(OFFLINE_URL, response);
      });
    }).then(function () {
      return caches.open(PAGE_CACHE);
    }).then(function (cache) {
      return Promise.all(SHELL.pages.map(function (url) { return cachePage(cache, url); }));
    })
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf('est-static-') === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

/* The pages cached at install were a redirect to log-in for a user who had not logged in yet:
 * a logged-in page asks for them again, once per worker and user. */
var pagesCachedFor = null;

function cacheShellPages(userId) {
  if (!userId || pagesCachedFor === userId) return Promise.resolve();
  pagesCachedFor = userId;
  return caches.open(PAGE_CACHE).then(function (cache) {
    return Promise.all(SHELL.pages.map(function (url) { return cachePage(cache, url); }));
  });
}

self.addEventListener('message', function (event) {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
  if (event.data && event.data.type === 'CACHE_PAGES') event.waitUntil(cacheShellPages(event.data.user));
  if (event.data && event.data.type === 'FORGET_PAGES') pagesCachedFor = null;
});

function networkFirstPage(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGE_CACHE).then(function (cache) { cache.put(request.url.split('#')[0], copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request.url.split('#')[0], { ignoreSearch: false }).then(function (cached) {
      return cached || caches.match(request.url, { ignoreSearch: true });
    }).then(function (cached) {
      return cached || caches.match(OFFLINE_URL);
    });
  });
}

function staleWhileRevalidate(event) {
  var request = event.request;
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true }).then(function (cached) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
      if (cached) {
        event.waitUntil(fresh.catch(function () {}));
        return cached;
      }
      return fresh;
    });
  });
}

function trimTiles(cache) {
  return cache.keys().then(function (keys) {
    return Promise.all(keys.slice(0, Math.max(0, keys.length - TILE_LIMIT)).map(function (key) {
      return cache.delete(key);
    }));
  });
}

/* Tiles are cached as the user views them, never fetched ahead (the tile policy forbids it). */
function cachedTile(event) {
  return caches.open(TILE_CACHE).then(function (cache) {
    return cache.match(event.request).then(function (cached) {
      if (cached) return cached;
      return fetch(event.request).then(function (response) {
        if (response.ok || response.type === 'opaque') {
          cache.put(event.request, response.clone()).then(function () { return trimTiles(cache); });
        }
        return response;
      });
    });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    if (TILE_HOST && url.host.endsWith(TILE_HOST)) event.respondWith(cachedTile(event));
    return;
  }
  if (url.pathname.indexOf('/api/') === 0 || url.pathname === '/sw.js') return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirstPage(request));
  } else if (url.pathname.indexOf('/static/') === 0) {
    event.respondWith(staleWhileRevalidate(event));
  }
});

self.addEventListener('sync', function (event) {
  if (event.tag === ESTOutbox.SYNC_TAG) {
    event.waitUntil(ESTOutbox.flush({ force: true }).then(function (report) {
      // A network failure rejects, so that the browser schedules another Background Sync.
      if (report.stopped) throw new Error('outbox not delivered yet');
    }));
  }
});
