// Small behaviours every page may use, instead of inline event handlers (the CSP forbids them):
//   <button data-print>            prints the page
//   <select data-autosubmit>       submits its form when changed
//   <input data-select-on-click>   selects its text when clicked (share links)
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
    var selectable = target.closest("[data-select-on-click]");
    if (selectable && typeof selectable.select === "function") selectable.select();
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof Element && target.matches("[data-autosubmit]") && target.form) {
      if (typeof target.form.requestSubmit === "function") target.form.requestSubmit();
      else target.form.submit();
    }
  });
})();
