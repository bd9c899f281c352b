// The main menu's groups are <details> elements: they open and close without
// JavaScript. This only closes the other groups when one opens, and all of
// them on Escape or a click elsewhere.
(function () {
  "use strict";
  function menus() { return document.querySelectorAll("details.nav-menu"); }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!(opened instanceof HTMLDetailsElement) || !opened.classList.contains("nav-menu") || !opened.open) return;
    menus().forEach(function (other) { if (other !== opened) other.open = false; });
  }, true);
  document.addEventListener("click", function (event) {
    menus().forEach(function (menu) { if (menu.open && !menu.contains(event.target)) menu.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    menus().forEach(function (menu) {
      if (menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
    });
  });
})();
