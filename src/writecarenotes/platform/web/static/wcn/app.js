// Small progressive enhancements. Everything works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  // Collapse the menu on narrow screens after the page loads.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia("(max-width: 47.99em)").matches) {
      document.querySelectorAll("details.nav-toggle").forEach(function (d) { d.removeAttribute("open"); });
    }
  });
})();
