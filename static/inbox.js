// The inbox's select-all per klynge, in place: a klynge's button ticks every row of that
// klynge on the page (or clears them when all are ticked) instead of posting the form.
// Without this script the button posts the form and the page comes back with the rows
// ticked, so the inbox works the same without JavaScript.
(function () {
  'use strict';
  document.querySelectorAll('button.select-klynge').forEach(function (button) {
    button.addEventListener('click', function (event) {
      event.preventDefault();
      var klynge = button.getAttribute('data-klynge');
      var boxes = Array.prototype.filter.call(
        document.querySelectorAll('input[type="checkbox"][name="ids"]'),
        function (box) { return box.getAttribute('data-klynge') === klynge; }
      );
      var all = boxes.every(function (box) { return box.checked; });
      boxes.forEach(function (box) { box.checked = !all; });
      button.setAttribute('aria-pressed', all ? 'false' : 'true');
    });
  });
})();
