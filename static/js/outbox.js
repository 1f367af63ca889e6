/*
 * The outbox: every capture is written to IndexedDB first and sent to the server exactly once.
 * Shared by the pages and the service worker (importScripts), so it touches no DOM.
 * A response counts as delivered only when it is our API's JSON naming the item's id: a captive
 * portal's 200 HTML page is a network failure, not a delivery.
 */
(function (global) {
  'use strict';

  var DB_NAME = 'est-outbox';
  var ITEMS = 'items';
  var SENT = 'sent';
  var CHANNEL = 'est-outbox';
  var SYNC_TAG = 'est-outbox';
  var BASE_DELAY_MS = 5000;
  var MAX_DELAY_MS = 10 * 60 * 1000;
  var SENT_KEPT = 50;

  var dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          db.createObjectStore(ITEMS, { keyPath: 'id' }).createIndex('created_at', 'created_at');
          db.createObjectStore(SENT, { keyPath: 'id' }).createIndex('sent_at', 'sent_at');
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  /* Runs work(store) in one transaction and resolves with its result once the data is on disk. */
  function transact(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result;
        Promise.resolve(work(tx.objectStore(storeName))).then(function (value) { result = value; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error || new Error('transaction aborted')); };
      });
    });
  }

  function requestValue(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function all() {
    return transact(ITEMS, 'readonly', function (store) {
      return requestValue(store.index('created_at').getAll());
    });
  }

  function get(id) {
    return transact(ITEMS, 'readonly', function (store) { return requestValue(store.get(id)); });
  }

  function put(item) {
    return transact(ITEMS, 'readwrite', function (store) { store.put(item); });
  }

  function remove(id) {
    return transact(ITEMS, 'readwrite', function (store) { store.delete(id); }).then(announce);
  }

  function sent() {
    return transact(SENT, 'readonly', function (store) {
      return requestValue(store.index('sent_at').getAll());
    });
  }

  function announce() {
    if (typeof BroadcastChannel === 'function') {
      var channel = new BroadcastChannel(CHANNEL);
      channel.postMessage({ type: 'changed' });
      channel.close();
    }
  }

  /* Adds a capture: {id, kind, user_id, endpoint, photo_endpoint, payload, summary, photos}. */
  function add(capture) {
    var item = Object.assign({
      created_at: Date.now(),
      state: 'waiting',
      posted: false,
      attempts: 0,
      next_attempt_at: 0,
      message: null,
      errors: null,
      photos: [],
    }, capture);
    return put(item).then(function () { announce(); return item; });
  }

  /* Puts a refused or corrected item back in line with new content (the same id is kept). */
  function replace(item) {
    item.state = 'waiting';
    item.message = null;
    item.errors = null;
    item.attempts = 0;
    item.next_attempt_at = 0;
    return put(item).then(announce);
  }

  function removePhoto(itemId, photoId) {
    return get(itemId).then(function (item) {
      if (!item) return null;
      item.photos = item.photos.filter(function (photo) { return photo.id !== photoId; });
      return replace(item);
    });
  }

  function belongsTo(item, userId) {
    return item.kind === 'public' || String(item.user_id) === String(userId);
  }

  /* Counts the items that wait, by state, for the given user (public items count for all). */
  function counts(userId) {
    return all().then(function (items) {
      var result = { total: 0, waiting: 0, login: 0, rejected: 0, others: 0 };
      items.forEach(function (item) {
        if (!belongsTo(item, userId)) { result.others += 1; return; }
        result.total += 1;
        result[item.state] = (result[item.state] || 0) + 1;
      });
      return result;
    });
  }

  function backoff(item) {
    item.attempts += 1;
    var delay = Math.min(BASE_DELAY_MS * Math.pow(2, item.attempts - 1), MAX_DELAY_MS);
    item.next_attempt_at = Date.now() + delay * (0.75 + Math.random() * 0.5);
    item.state = 'waiting';
    return put(item);
  }

  /* Sends one request; resolves with {status, json} or {status: 0} on a network failure. */
  function send(url, options) {
    options.credentials = 'same-origin';
    options.headers = Object.assign({ Accept: 'application/json' }, options.headers);
    return fetch(url, options).then(function (response) {
      var type = response.headers.get('Content-Type') || '';
      if (type.indexOf('application/json') === -1) return { status: response.status, json: null };
      return response.json().then(
        function (json) { return { status: response.status, json: json }; },
        function () { return { status: response.status, json: null }; }
      );
    }, function () { return { status: 0, json: null }; });
  }

  /* Judges a response: 'ok', 'retry', 'login', 'csrf' or 'rejected'. */
  function judge(result, expectedId) {
    var json = result.json;
    if (result.status === 0 || !json || typeof json !== 'object') return 'retry';
    if (result.status >= 200 && result.status < 300) {
      return json.id === expectedId ? 'ok' : 'retry';
    }
    if (result.status === 401) return 'login';
    if (json.code === 'csrf') return 'csrf';
    if (result.status === 408 || result.status === 429 || result.status >= 500) return 'retry';
    return 'rejected';
  }

  function messageOf(json) {
    if (!json) return null;
    if (json.errors) {
      return Object.keys(json.errors).map(function (field) {
        return json.errors[field].join(' ');
      }).join(' ');
    }
    return json.error || null;
  }

  function fetchSession() {
    return send('/api/v1/session', { method: 'GET', cache: 'no-store' }).then(function (result) {
      if (result.status !== 200 || !result.json || !result.json.csrf_token) {
        throw new Error('no session');
      }
      return result.json;
    });
  }

  function postItem(item, session) {
    return send(item.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': session.csrf_token },
      body: JSON.stringify(item.payload),
    });
  }

  function putPhoto(item, photo, session) {
    return send(item.photo_endpoint.replace('{id}', item.id) + photo.id, {
      method: 'PUT',
      headers: { 'Content-Type': photo.type || 'image/jpeg', 'X-CSRFToken': session.csrf_token },
      body: photo.data,
    });
  }

  /* Applies a failed verdict to the item; resolves true when the flush should stop. */
  function fail(item, verdict, result) {
    if (verdict === 'login') {
      item.state = 'login';
      return put(item).then(function () { return false; });
    }
    if (verdict === 'rejected') {
      item.state = 'rejected';
      item.status = result.status;
      item.message = messageOf(result.json);
      item.errors = result.json.errors || null;
      return put(item).then(function () { return false; });
    }
    return backoff(item).then(function () { return true; });
  }

  function finish(item) {
    var record = {
      id: item.id,
      kind: item.kind,
      user_id: item.user_id,
      summary: item.summary,
      receipt: item.receipt || null,
      sent_at: Date.now(),
    };
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction([ITEMS, SENT], 'readwrite');
        tx.objectStore(ITEMS).delete(item.id);
        tx.objectStore(SENT).put(record);
        tx.oncomplete = resolve;
        tx.onerror = function () { reject(tx.error); };
      });
    }).then(trimSent);
  }

  function trimSent() {
    return transact(SENT, 'readwrite', function (store) {
      return requestValue(store.index('sent_at').getAllKeys()).then(function (keys) {
        keys.slice(0, Math.max(0, keys.length - SENT_KEPT)).forEach(function (key) {
          store.delete(key);
        });
      });
    });
  }

  /* Sends the photos that remain; resolves with 'done', 'stop' or 'held'. */
  function sendPhotos(item, session, index) {
    var photo = item.photos[index];
    if (!photo) return Promise.resolve('done');
    if (photo.sent) return sendPhotos(item, session, index + 1);
    return putPhoto(item, photo, session).then(function (result) {
      var verdict = judge(result, photo.id);
      if (verdict === 'ok') {
        photo.sent = true;
        photo.data = null;
        return put(item).then(function () { return sendPhotos(item, session, index + 1); });
      }
      if (verdict === 'csrf') return backoff(item).then(function () { return 'stop'; });
      if (verdict === 'rejected') photo.rejected = true;
      return fail(item, verdict, result).then(function (stop) { return stop ? 'stop' : 'held'; });
    });
  }

  /* Sends one item; resolves with 'sent', 'held' or 'stop' (the network is down). */
  function sendItem(item, session) {
    if (item.kind !== 'public' && (!session.user || String(session.user.id) !== String(item.user_id))) {
      if (item.state === 'login') return Promise.resolve('held');
      item.state = 'login';
      return put(item).then(function () { return 'held'; });
    }
    var posting = item.posted ? Promise.resolve('ok') : postItem(item, session).then(function (result) {
      var verdict = judge(result, item.id);
      if (verdict === 'ok') {
        item.posted = true;
        item.receipt = result.json.receipt_code || null;
        item.status_url = result.json.status_url || null;
        return put(item).then(function () { return 'ok'; });
      }
      if (verdict === 'csrf') return backoff(item).then(function () { return 'stop'; });
      return fail(item, verdict, result).then(function (stop) { return stop ? 'stop' : 'held'; });
    });
    return posting.then(function (outcome) {
      if (outcome !== 'ok') return outcome;
      return sendPhotos(item, session, 0).then(function (photos) {
        if (photos !== 'done') return photos;
        return finish(item).then(function () { return 'sent'; });
      });
    });
  }

  function isDue(item, force) {
    if (item.state === 'rejected') return false;
    return force || item.state === 'login' || item.next_attempt_at <= Date.now();
  }

  function withLock(work) {
    if (global.navigator && navigator.locks && navigator.locks.request) {
      return navigator.locks.request('est-outbox-flush', work);
    }
    if (withLock.busy) return withLock.busy;
    withLock.busy = work().finally(function () { withLock.busy = null; });
    return withLock.busy;
  }

  /* Sends every due item, oldest first; resolves with {sent, held, waiting}. */
  function flush(options) {
    var force = Boolean(options && options.force);
    return withLock(function () {
      var report = { sent: 0, held: 0, stopped: false };
      return all().then(function (items) {
        var due = items.filter(function (item) { return isDue(item, force); });
        if (!due.length) return report;
        return fetchSession().then(function (session) {
          return due.reduce(function (chain, item) {
            return chain.then(function () {
              if (report.stopped) return null;
              return sendItem(item, session).then(function (outcome) {
                if (outcome === 'sent') report.sent += 1;
                if (outcome === 'held') report.held += 1;
                if (outcome === 'stop') report.stopped = true;
              });
            });
          }, Promise.resolve()).then(function () { return report; });
        }, function () {
          report.stopped = true;
          return Promise.all(due.map(backoff)).then(function () { return report; });
        });
      });
    }).then(function (report) { announce(); return report; });
  }

  /* The earliest time an item is due again, or null. */
  function nextDue() {
    return all().then(function (items) {
      var times = items.filter(function (item) { return item.state === 'waiting'; })
        .map(function (item) { return item.next_attempt_at; });
      return times.length ? Math.min.apply(null, times) : null;
    });
  }

  global.ESTOutbox = {
    CHANNEL: CHANNEL,
    SYNC_TAG: SYNC_TAG,
    add: add,
    all: all,
    get: get,
    replace: replace,
    remove: remove,
    removePhoto: removePhoto,
    counts: counts,
    sent: sent,
    flush: flush,
    nextDue: nextDue,
    judge: judge,
  };
})(self);
