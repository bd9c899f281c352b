// Status report form: with JavaScript, "no change" is a one-click button per
// row (htmx); without, it is a checkbox sent with the whole form.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("report-form");
  if (!form) return;
  form.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  form.querySelectorAll(".no-js-only").forEach(function (el) {
    el.hidden = true;
    el.querySelectorAll("input").forEach(function (input) { input.checked = false; input.disabled = true; });
  });
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});
