/*
 * On every page: registers the service worker, keeps the header badge of waiting items up to
 * date, and flushes the outbox on load, on `online`, on a timer and when asked. Background Sync
 * is used where the browser has it; the other triggers cover the browsers that do not.
 */
(function () {
  'use strict';

  var TIMER_MS = 30000;
  var body = document.body;
  var userId = body.dataset.userId || null;
  var timer = null;

  /* A text from the page; the singular variant (data-…-one) when there is exactly one. */
  function text(name, n) {
    if (n === 1 && body.dataset[name + 'One']) return body.dataset[name + 'One'];
    return (body.dataset[name] || '').replace('{n}', n);
  }

  function toast(message, kind, action) {
    var box = document.querySelector('[data-toasts]');
    if (!box || !message) return;
    var item = document.createElement('p');
    item.className = 'toast toast--' + (kind || 'info');
    item.textContent = message + ' ';
    if (action) item.appendChild(action);
    box.appendChild(item);
    if (!action) setTimeout(function () { item.remove(); }, 8000);
  }

  function updateBadge() {
    if (!window.ESTOutbox) return Promise.resolve(null);
    return ESTOutbox.counts(userId).then(function (counts) {
      document.querySelectorAll('[data-outbox-badge]').forEach(function (badge) {
        badge.hidden = counts.total === 0;
        badge.classList.toggle('outbox-badge--alert', counts.rejected + counts.login > 0);
        badge.querySelector('[data-outbox-count]').textContent = counts.total;
      });
      document.dispatchEvent(new CustomEvent('est:outbox-changed', { detail: counts }));
      return counts;
    });
  }

  function flush(force) {
    if (!window.ESTOutbox) return Promise.resolve(null);
    return ESTOutbox.flush({ force: force }).then(function (report) {
      if (report.sent) toast(text('textSent', report.sent), 'success');
      return updateBadge().then(function (counts) {
        // Logged out, every user's items count as `others`: they wait for a log-in.
        if (counts && userId === null && (counts.login || counts.others)) toast(text('textLoginNeeded'), 'warning');
        schedule();
        return report;
      });
    }).catch(function () { schedule(); });
  }

  /* Wakes up when the earliest waiting item is due again (but at least every TIMER_MS). */
  function schedule() {
    clearTimeout(timer);
    ESTOutbox.nextDue().then(function (due) {
      if (due === null) return;
      var wait = Math.max(1000, Math.min(due - Date.now(), TIMER_MS));
      timer = setTimeout(function () { flush(false); }, wait);
    });
  }

  function requestBackgroundSync(registration) {
    if (registration && registration.sync) {
      return registration.sync.register(ESTOutbox.SYNC_TAG).catch(function () {});
    }
    return Promise.resolve();
  }

  function offerUpdate(registration) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button--primary';
    button.textContent = body.dataset.textUpdateButton;
    button.addEventListener('click', function () {
      if (registration.waiting) registration.waiting.postMessage({ type: 'SKIP_WAITING' });
    });
    toast(body.dataset.textUpdate, 'info', button);
  }

  function watchForUpdates(registration) {
    if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
    registration.addEventListener('updatefound', function () {
      var worker = registration.installing;
      worker.addEventListener('statechange', function () {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(registration);
      });
    });
    // The first worker claims the page without a reload; only an update (a worker replacing
    // another, after the user said "update") reloads.
    var hadController = Boolean(navigator.serviceWorker.controller);
    var reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', function () {
      if (reloading || !hadController) return;
      reloading = true;
      window.location.reload();
    });
  }

  /* Lets the worker cache the offline pages for this user (at install the user may not have been logged in). */
  function cachePagesForUser() {
    if (!userId) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: 'CACHE_PAGES', user: userId });
    });
  }

  function registerWorker() {
    if (!('serviceWorker' in navigator)) return Promise.resolve(null);
    return navigator.serviceWorker.register(body.dataset.swUrl, { scope: '/' }).then(function (registration) {
      watchForUpdates(registration);
      cachePagesForUser();
      return registration;
    }, function () { return null; });
  }

  window.ESTSync = {
    flush: flush,
    updateBadge: updateBadge,
    toast: toast,
    /* Called after a capture is saved: ask for Background Sync and try at once. */
    captured: function () {
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
      var registering = 'serviceWorker' in navigator
        ? navigator.serviceWorker.getRegistration().then(requestBackgroundSync)
        : Promise.resolve();
      return registering.then(function () { return flush(false); });
    },
  };

  /* Pages cached while one user was logged in must never be shown offline to the next one:
   * when the user changes (a log-out included), the page cache goes. */
  function forgetOtherUsersPages() {
    var current = userId || '';
    var last = null;
    try { last = localStorage.getItem('est-user'); } catch (error) { return Promise.resolve(); }
    try { localStorage.setItem('est-user', current); } catch (error) { /* private mode */ }
    if (last === null || last === current || !window.caches) return Promise.resolve();
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: 'FORGET_PAGES' });
    }
    return caches.delete('est-pages');
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (!window.ESTOutbox) return;
    forgetOtherUsersPages().then(registerWorker);
    if (typeof BroadcastChannel === 'function') {
      new BroadcastChannel(ESTOutbox.CHANNEL).onmessage = function () { updateBadge(); };
    }
    window.addEventListener('online', function () { flush(true); });
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible') flush(false);
    });
    updateBadge().then(function () { return flush(true); });
  });
})();
