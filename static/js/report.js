// Status report form. "No change" is a checkbox sent with the whole form,
// with or without JavaScript: nothing is saved before "Send". Here, ticking
// it greys the row's values (they are not used), and the form is sent once
// (a second click while it is on its way does nothing; the server also
// refuses to file the same report twice).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("report-form");
  if (!form) return;
  function sync(box) {
    var row = box.closest(".report-row");
    if (!row) return;
    row.classList.toggle("is-no-change", box.checked);
    row.querySelectorAll("select, input[type=number], input[type=text], input[type=date]").forEach(function (el) {
      if (el.name.indexOf("based_on") === -1) el.readOnly = box.checked;
      if (el.tagName === "SELECT") el.setAttribute("aria-disabled", box.checked ? "true" : "false");
    });
  }
  form.querySelectorAll("input[type=checkbox][name$='-no_change']").forEach(function (box) {
    sync(box);
    box.addEventListener("change", function () { sync(box); });
  });
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    var button = document.getElementById("report-submit");
    if (button) button.setAttribute("aria-disabled", "true");
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) delete form.dataset.sent;  // back from the next page: may be sent again
  });
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});
