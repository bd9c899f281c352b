// Warns about two minutes before an idle session ends (SessionSecurityMiddleware,
// SESSION_IDLE_TIMEOUT). The warning is in the page, hidden; without JavaScript
// nothing shows and nothing breaks. Any request from the page (htmx) or a
// click on "Stay signed in" (a reload) starts the count again.
(function () {
  "use strict";
  var box = document.getElementById("idle-warning");
  if (!box) {
    return;
  }
  var timeout = parseInt(box.getAttribute("data-idle-timeout"), 10);
  var before = parseInt(box.getAttribute("data-warn-before"), 10) || 120;
  if (!(timeout > 0)) {
    return;
  }
  var delay = Math.max(timeout - before, timeout / 2) * 1000;
  var timer = null;

  function show() {
    box.classList.remove("d-none");
  }

  function restart() {
    box.classList.add("d-none");
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(show, delay);
  }

  document.body.addEventListener("htmx:afterRequest", restart);
  var stay = box.querySelector("[data-idle-stay]");
  if (stay) {
    stay.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.reload();
    });
  }
  restart();
})();
