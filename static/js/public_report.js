/*
 * The residents' e-service: the report goes to the same outbox as staff reports (kind
 * "public"), so it survives a weak signal; the receipt code is shown once it has arrived.
 */
(function () {
  'use strict';

  var form = document.querySelector('[data-public-report]');
  if (!form || !window.ESTOutbox || !window.indexedDB) return;

  var data = form.dataset;
  var photos = null;
  var place = null;

  function field(name) { return form.elements.namedItem(name); }
  function checked(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : null;
  }
  function number(name) {
    var value = field(name).value;
    return value === '' ? null : Number(value);
  }

  function payload(id) {
    return {
      id: id,
      occurred_at: ESTPlace.isoWithOffset(new Date()),
      lat: number('lat'),
      lon: number('lon'),
      accuracy_m: number('accuracy_m'),
      area_id: number('area_id'),
      place_text: field('place_text').value.trim(),
      description: field('description').value.trim(),
      topic: checked('topic'),
      feeling: checked('feeling'),
      time_of_day: checked('time_of_day'),
      contact_email: field('contact_email').value.trim() || null,
      campaign: field('campaign').value || null,
      website: field('website').value || null,
    };
  }

  function missing(body) {
    var names = [];
    var legends = form.querySelectorAll('.capture__legend');
    if (!body.feeling) names.push(legends[0].textContent);
    if (!body.topic) names.push(legends[1].textContent);
    if ((body.lat === null || body.lon === null) && body.area_id === null) names.push(legends[2].textContent);
    return names;
  }

  function summary(body) {
    var topic = form.querySelector('input[name="topic"]:checked');
    return {
      title: topic ? topic.parentElement.textContent.trim() : '',
      place: body.place_text,
      when: new Date().toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'sv-SE', {
        day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
      }),
    };
  }

  function renderReceipts() {
    var section = document.querySelector('[data-public-receipts]');
    return Promise.all([ESTOutbox.sent(), ESTOutbox.all()]).then(function (results) {
      var sent = results[0].filter(function (item) { return item.kind === 'public' && item.receipt; });
      var waiting = results[1].filter(function (item) { return item.kind === 'public'; });
      var list = section.querySelector('[data-receipt-list]');
      list.textContent = '';
      waiting.forEach(function (item) {
        var row = document.createElement('li');
        row.className = 'report-list__item';
        row.textContent = item.summary.title + ' · ' + item.summary.when + ' · ' + (item.state === 'rejected' ? item.message : '…');
        list.appendChild(row);
      });
      sent.slice().reverse().forEach(function (item) {
        var row = document.createElement('li');
        row.className = 'report-list__item';
        var link = document.createElement('a');
        link.href = '/trygghetsvandring/status/' + encodeURIComponent(item.receipt);
        link.textContent = item.receipt;
        row.appendChild(document.createTextNode(item.summary.title + ' · ' + item.summary.when + ' · '));
        row.appendChild(link);
        list.appendChild(row);
      });
      section.hidden = sent.length + waiting.length === 0;
    });
  }

  function save(event) {
    event.preventDefault();
    var id = field('id').value;
    var body = payload(id);
    var gaps = missing(body);
    if (gaps.length) { ESTSync.toast(data.missing.replace('{what}', gaps.join(', ')), 'error'); return; }
    ESTOutbox.add({
      id: id,
      kind: 'public',
      user_id: null,
      endpoint: '/api/v1/public/observations',
      photo_endpoint: '/api/v1/public/observations/{id}/photos/',
      payload: body,
      summary: summary(body),
      photos: photos.list(),
    }).then(function () {
      ESTSync.toast(data.savedMessage, 'success');
      form.reset();
      photos.clear();
      place.clear();
      field('id').value = ESTPlace.uuid();
      window.scrollTo(0, 0);
      return ESTSync.captured();
    }).then(renderReceipts);
  }

  document.addEventListener('DOMContentLoaded', function () {
    field('id').value = ESTPlace.uuid();
    place = ESTPlace.picker(form, data);
    photos = ESTPhotos.picker(form, place);
    form.addEventListener('submit', save);
    document.addEventListener('est:outbox-changed', renderReceipts);
    renderReceipts();
  });
})();
