/* Light, dark or automatic theme.
 *
 * Loaded without defer in <head>: the stored choice is applied before the body is painted, so a dark
 * page never flashes white. The switch in the footer is hidden in the HTML and shown here, because it
 * does nothing without this script. It also applies the municipality colour that the server puts in
 * <body data-brand-colour> (a style attribute would be blocked by the content security policy).
 */
(function () {
  'use strict';

  var KEY = 'est-theme';
  var ORDER = ['light', 'dark', 'auto'];
  var LABELS = {
    sv: { light: 'ljust', dark: 'mörkt', auto: 'automatiskt' },
    en: { light: 'light', dark: 'dark', auto: 'automatic' }
  };
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return ORDER.indexOf(value) >= 0 ? value : 'auto';
    } catch (error) {
      return 'auto'; // storage blocked (private mode, policy): follow the device
    }
  }

  function store(theme) {
    try {
      if (theme === 'auto') {
        window.localStorage.removeItem(KEY);
      } else {
        window.localStorage.setItem(KEY, theme);
      }
    } catch (error) {
      // The choice then lasts for this page only.
    }
  }

  function apply(theme) {
    root.dataset.theme = theme;
  }

  function labels() {
    var lang = (root.lang || 'sv').slice(0, 2).toLowerCase();
    return LABELS[lang] || LABELS.en;
  }

  function describe(button, base, theme) {
    button.textContent = base + ': ' + labels()[theme];
  }

  function applyBrandColour() {
    var colour = document.body && document.body.dataset.brandColour;
    if (colour && /^#[0-9a-f]{6}$/i.test(colour)) {
      root.style.setProperty('--brand', colour);
    }
  }

  function setUpSwitch() {
    var button = document.querySelector('[data-theme-switch]');
    if (!button) {
      return;
    }
    var base = button.textContent.trim();
    describe(button, base, stored());
    button.hidden = false;
    button.addEventListener('click', function () {
      var current = root.dataset.theme || 'auto';
      var next = ORDER[(ORDER.indexOf(current) + 1) % ORDER.length];
      apply(next);
      store(next);
      describe(button, base, next);
    });
    // A choice made in another tab applies here too.
    window.addEventListener('storage', function (event) {
      if (event.key === KEY || event.key === null) {
        var theme = stored();
        apply(theme);
        describe(button, base, theme);
      }
    });
  }

  apply(stored());

  function ready() {
    applyBrandColour();
    setUpSwitch();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
})();
