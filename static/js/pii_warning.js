/*
 * Warns the writer, before anything is sent, when a description seems to hold personal data
 * (personnummer, phone numbers, e-mail addresses, registration plates). The server's detector
 * decides; offline there is no warning, and what is stored is masked for readers anyway.
 */
(function () {
  'use strict';

  var WAIT_MS = 800;

  function check(text) {
    return fetch('/api/v1/session', { credentials: 'same-origin' }).then(function (r) { return r.json(); })
      .then(function (session) {
        return fetch('/api/v1/privacy/check', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-CSRFToken': session.csrf_token },
          body: JSON.stringify({ text: text }),
        });
      }).then(function (r) { return r.json(); });
  }

  function watch(input, warning) {
    var timer = null;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        check(input.value).then(function (answer) {
          warning.hidden = !answer.warning;
          warning.textContent = answer.warning || '';
        }).catch(function () {});
      }, WAIT_MS);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-pii-check]').forEach(function (input) {
      var warning = input.form && input.form.querySelector('[data-pii-warning]');
      if (warning) watch(input, warning);
    });
  });
})();
