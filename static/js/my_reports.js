/*
 * "Mina rapporter": lists what waits on this device, what the server refused and why, and lets
 * the user send now, fix and resend, or discard.
 */
(function () {
  'use strict';

  var section = document.querySelector('[data-outbox-section]');
  if (!section || !window.ESTOutbox) return;

  var text = section.dataset;
  var userId = section.dataset.userId;
  var list = section.querySelector('[data-outbox-list]');
  var summary = section.querySelector('[data-outbox-summary]');
  var flushButton = section.querySelector('[data-flush]');

  /* Picks the singular text (data-…-one) for one, the plural with {n} otherwise. */
  function plural(name, n) {
    return n === 1 && text[name + 'One'] ? text[name + 'One'] : text[name].replace('{n}', n);
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function button(label, className, onClick) {
    var node = element('button', 'button ' + (className || ''), label);
    node.type = 'button';
    node.addEventListener('click', onClick);
    return node;
  }

  function stateText(item) {
    if (item.state === 'rejected') return text.textRejected;
    if (item.state === 'login') return text.textLogin;
    if (item.attempts > 0) {
      var when = new Date(item.next_attempt_at).toLocaleTimeString(
        document.documentElement.lang === 'en' ? 'en-GB' : 'sv-SE', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
      return text.textRetry.replace('{when}', when);
    }
    return text.textWaiting;
  }

  function actions(item) {
    var box = element('p', 'actions');
    if (item.state !== 'rejected') return box;
    var rejectedPhoto = item.photos.filter(function (photo) { return photo.rejected && !photo.sent; })[0];
    if (item.posted && rejectedPhoto) {
      box.appendChild(button(text.textRemovePhoto, '', function () {
        ESTOutbox.removePhoto(item.id, rejectedPhoto.id).then(function () { ESTSync.flush(true); });
      }));
    } else if (!item.posted) {
      var fix = element('a', 'button', text.textFix);
      fix.href = '/rapport/ny?utkast=' + encodeURIComponent(item.id);
      box.appendChild(fix);
    }
    box.appendChild(button(text.textDiscard, 'button--danger', function () {
      if (window.confirm(text.textDiscardConfirm)) ESTOutbox.remove(item.id).then(render);
    }));
    return box;
  }

  function row(item) {
    var node = element('li', 'report-list__item report-list__item--' + item.state);
    node.dataset.outboxId = item.id;
    node.dataset.state = item.state;
    node.appendChild(element('span', 'report-list__title', (item.summary && item.summary.title) || item.id));
    node.appendChild(element('span', 'badge badge--' + (item.state === 'rejected' ? 'error' : 'warn'), stateText(item)));
    var meta = [item.summary && item.summary.when, item.summary && item.summary.place];
    var waitingPhotos = item.photos.filter(function (photo) { return !photo.sent; }).length;
    if (waitingPhotos) meta.push(plural('textPhotos', waitingPhotos));
    node.appendChild(element('span', 'report-list__meta', meta.filter(Boolean).join(' · ')));
    if (item.message) node.appendChild(element('p', 'field__error', item.message));
    node.appendChild(actions(item));
    return node;
  }

  function render() {
    return ESTOutbox.all().then(function (items) {
      var mine = items.filter(function (item) {
        return item.kind === 'public' || String(item.user_id) === String(userId);
      });
      list.textContent = '';
      mine.forEach(function (item) { list.appendChild(row(item)); });
      var others = items.length - mine.length;
      var lines = [mine.length ? text.textWaiting + ': ' + mine.length : text.textEmpty];
      if (others) lines.push(plural('textOtherUser', others));
      summary.textContent = lines.join(' ');
      flushButton.hidden = mine.length === 0;
    });
  }

  flushButton.addEventListener('click', function () {
    flushButton.disabled = true;
    ESTSync.flush(true).then(function () {
      flushButton.disabled = false;
      return render();
    });
  });
  document.addEventListener('est:outbox-changed', render);
  document.addEventListener('DOMContentLoaded', render);
})();
