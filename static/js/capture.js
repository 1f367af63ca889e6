/*
 * The capture form ("Ny rapport"): writes every report to the outbox first, online or not.
 * Photos are downscaled on the device to at most 2048 px JPEG before they are stored.
 * Without this script the form still posts to the server directly.
 */
(function () {
  'use strict';

  var GATHERING = 'SAMLING';

  var form = document.querySelector('[data-capture]');
  if (!form || !window.ESTOutbox || !window.indexedDB || !window.ESTPlace || !window.ESTPhotos) return;

  var data = form.dataset;
  var userId = document.body.dataset.userId;
  var photos = null;
  var editing = null;
  var editingOriginalId = null;
  var place = null;
  var uuid = ESTPlace.uuid;
  var localInputValue = ESTPlace.localInputValue;
  var isoWithOffset = ESTPlace.isoWithOffset;

  function field(name) { return form.elements.namedItem(name); }

  /* The device's own clock and zone decide "now" (the server rendered its own zone's time). */
  function setTimeLimits(keepValue) {
    var input = field('occurred_at');
    var now = new Date();
    input.max = localInputValue(now);
    if (!keepValue || !input.value) input.value = localInputValue(now);
  }

  /* --- category --- */

  function chosenCategory() {
    var checked = form.querySelector('input[name="category"]:checked');
    return checked ? checked : null;
  }

  function showGatheringFields() {
    var chosen = chosenCategory();
    var box = form.querySelector('[data-gathering-fields]');
    if (box) box.hidden = !(chosen && chosen.dataset.main === GATHERING);
  }

  function watchCategories() {
    form.querySelectorAll('details[data-main]').forEach(function (group) {
      group.addEventListener('toggle', function () {
        if (!group.open) return;
        form.querySelectorAll('details[data-main]').forEach(function (other) {
          if (other !== group) other.open = false;
        });
      });
    });
    form.addEventListener('change', function (event) {
      if (event.target.name === 'category') showGatheringFields();
    });
    showGatheringFields();
  }

  /* --- position --- */

  /* Choosing an area says the position is missing or wrong (so the page's hint tells the user):
   * the device's position is dropped and the server takes the area's centre. */
  function watchArea() {
    field('area_id').addEventListener('change', function () {
      if (!field('area_id').value) return;
      place.clear();
    });
  }

  /* --- saving --- */

  function numberOrNull(name) {
    var value = field(name) && field(name).value;
    return value === '' || value === undefined || value === null ? null : Number(value);
  }

  function checkedValue(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }

  /* --- the safety walk's checklist --- */

  /* The answers for this stop: {key: "brist" | 1..5}, or null when nothing is answered.
   * A draft opened on a page without its walk's questions keeps the answers it had. */
  function checklistAnswers() {
    var inputs = form.querySelectorAll('input[name^="checklist-"]');
    if (!inputs.length) return (editing && editing.payload.checklist) || null;
    var answers = {};
    Array.prototype.forEach.call(inputs, function (input) {
      if (!input.checked) return;
      var key = input.name.slice('checklist-'.length);
      answers[key] = input.dataset.scale === '1-5' ? Number(input.value) : input.value;
    });
    return Object.keys(answers).length ? answers : null;
  }

  function showChecklist(answers) {
    Object.keys(answers || {}).forEach(function (key) {
      var input = form.querySelector('input[name="checklist-' + CSS.escape(key) + '"][value="' +
        CSS.escape(String(answers[key])) + '"]');
      if (input) input.checked = true;
    });
  }

  /* A page the device kept for another address may lack the walk that the address names. */
  function warnIfWalkMissing() {
    var named = new URLSearchParams(window.location.search).get('vandring');
    if (!named) return;
    var notice = document.querySelector('[data-walk-notice]');
    if (!notice || notice.dataset.walkNotice !== named) ESTSync.toast(data.walkStale, 'warning');
  }

  /* The walk stays in the address after a save, so that a reload still reports on it. */
  function walkQuery() {
    var named = new URLSearchParams(window.location.search).get('vandring');
    return named ? '?vandring=' + encodeURIComponent(named) : '';
  }

  function payload(id) {
    var category = chosenCategory();
    var gathering = category && category.dataset.main === GATHERING;
    return {
      id: id,
      occurred_at: isoWithOffset(new Date(field('occurred_at').value || Date.now())),
      lat: numberOrNull('lat'),
      lon: numberOrNull('lon'),
      accuracy_m: numberOrNull('accuracy_m'),
      area_id: numberOrNull('area_id'),
      category: category ? category.value : null,
      place_text: field('place_text').value.trim(),
      place_type: field('place_type').value || null,
      description: field('description').value.trim(),
      persons_count: gathering ? numberOrNull('persons_count') : null,
      age_group: gathering ? field('age_group').value || null : null,
      assessment: checkedValue('assessment') ? Number(checkedValue('assessment')) : null,
      police_reported: field('police_reported').checked,
      walk_id: field('walk_id').value || null,
      checklist: checklistAnswers(),
    };
  }

  function summary(body) {
    var category = chosenCategory();
    var label = category ? category.parentElement.textContent.trim() : '';
    var areaSelect = field('area_id');
    var area = areaSelect.value ? areaSelect.options[areaSelect.selectedIndex].text : '';
    return {
      title: label,
      place: [area, body.place_text].filter(Boolean).join(' · '),
      when: new Date(body.occurred_at).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'sv-SE', {
        day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
      }),
    };
  }

  function showError(message) {
    ESTSync.toast(message, 'error');
  }

  function validate(body) {
    var missing = [];
    if (!body.category) missing.push(form.querySelector('.capture__legend').textContent);
    if ((body.lat === null || body.lon === null) && body.area_id === null) {
      missing.push(form.querySelectorAll('.capture__legend')[1].textContent);
    }
    if (new Date(body.occurred_at).getTime() > Date.now() + 5 * 60000) missing.push(field('occurred_at').labels[0].textContent);
    if (missing.length) showError(missing.join(', '));
    return missing.length === 0;
  }

  function save(event) {
    event.preventDefault();
    var id = editing ? editing.id : field('id').value;
    var body = payload(id);
    if (!validate(body)) return;
    var item = {
      id: id,
      kind: 'observation',
      user_id: userId,
      endpoint: '/api/v1/observations',
      photo_endpoint: '/api/v1/observations/{id}/photos/',
      payload: body,
      summary: summary(body),
      photos: photos.list(),
    };
    var saving;
    if (editing && editing.id === editingOriginalId) {
      saving = ESTOutbox.replace(Object.assign(editing, item, { posted: false }));
    } else {
      var removing = editing ? ESTOutbox.remove(editingOriginalId) : Promise.resolve();
      saving = removing.then(function () { return ESTOutbox.add(item); });
    }
    saving.then(function () {
      ESTSync.toast(data.savedMessage, 'success');
      reset();
      ESTSync.captured();
    }, function () {
      showError(data.photoFailed);
    });
  }

  function reset() {
    editing = null;
    photos.clear();
    form.reset();
    field('id').value = uuid();
    form.querySelectorAll('details[data-main]').forEach(function (group) { group.open = false; });
    setTimeLimits(false);
    showGatheringFields();
    if (history.replaceState) history.replaceState(null, '', window.location.pathname + walkQuery());
    window.scrollTo(0, 0);
  }

  /* Loads a refused report back into the form so that the user can fix and resend it. */
  function loadDraft(id) {
    return ESTOutbox.get(id).then(function (item) {
      if (!item || String(item.user_id) !== String(userId)) return;
      if (item.posted) return;  // the server has it; only its photos can still be dealt with
      editing = item;
      editingOriginalId = item.id;
      // A conflict (409) means the server holds this id already: the fix goes out as a new report.
      if (item.status === 409) editing.id = uuid();
      var body = item.payload;
      ['place_text', 'description', 'place_type', 'age_group', 'walk_id'].forEach(function (name) {
        if (field(name)) field(name).value = body[name] || '';
      });
      ['persons_count', 'area_id', 'lat', 'lon', 'accuracy_m'].forEach(function (name) {
        field(name).value = body[name] === null || body[name] === undefined ? '' : body[name];
      });
      field('occurred_at').value = localInputValue(new Date(body.occurred_at));
      field('police_reported').checked = Boolean(body.police_reported);
      var category = form.querySelector('input[name="category"][value="' + body.category + '"]');
      if (category) { category.checked = true; category.closest('details').open = true; }
      var assessment = form.querySelector('input[name="assessment"][value="' + body.assessment + '"]');
      if (assessment) assessment.checked = true;
      showChecklist(body.checklist);
      photos.set(item.photos.filter(function (photo) { return !photo.sent; }));
      if (body.lat !== null && body.lat !== undefined) place.set(body.lat, body.lon, body.accuracy_m, false);
      showGatheringFields();
      if (item.message) showError(item.message);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    field('id').value = uuid();
    setTimeLimits(false);
    watchCategories();
    place = ESTPlace.picker(form, data);
    photos = ESTPhotos.picker(form, place);
    watchArea();
    form.addEventListener('submit', save);
    var draft = new URLSearchParams(window.location.search).get('utkast');
    if (draft) loadDraft(draft); else place.locate();
    warnIfWalkMissing();
  });
})();
