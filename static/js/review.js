/* The review inbox: "choose all" for the bulk actions, and only the field the chosen action needs.
 * Without JavaScript every field shows and the server ignores what the action does not use. */
(function () {
  'use strict';

  // On a wide screen the filter sits beside the list, so it starts open.
  function openFilterBesideList() {
    var filter = document.querySelector('.review-layout__filter');
    if (filter && window.matchMedia('(min-width: 960px)').matches) filter.open = true;
  }

  function start() {
    openFilterBesideList();
    var form = document.querySelector('[data-bulk-form]');
    if (!form) return;
    var all = form.querySelector('[data-check-all]');
    var boxes = form.querySelectorAll('input[name="ids"]');
    if (all) {
      all.hidden = false;
      all.addEventListener('change', function () {
        Array.prototype.forEach.call(boxes, function (box) { box.checked = all.checked; });
      });
    }
    var action = form.querySelector('select[name="action"]');
    var status = form.querySelector('select[name="status"]');
    var category = form.querySelector('select[name="category"]');
    if (!action || !status || !category) return;
    function showNeeded() {
      status.closest('.field').hidden = action.value !== 'status';
      category.closest('.field').hidden = action.value !== 'category';
    }
    action.addEventListener('change', showNeeded);
    showNeeded();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
