// Type-ahead for long lists (services, partners, officials, programmes).
// A select carrying data-picker="<search URL>" becomes a combobox (ARIA 1.2
// pattern: text input, listbox, aria-activedescendant) that asks the server
// as the lead types; a multiple select gets its choices as removable chips.
// The select stays in the form and is what is sent: without this script the
// page offers the plain select and its "search, then pick" box instead.
(function () {
  "use strict";
  var count = 0;

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function optionFor(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) return select.options[i];
    }
    return null;
  }

  function enhance(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var n = ++count;
    var words = select.dataset;
    var multiple = select.multiple;
    var box = select.closest(".picker-box");
    if (box) {
      // Removed, not hidden: a disabled search button first in the form
      // would stop Enter from sending it.
      box.querySelectorAll(".picker-search, .picker-hint").forEach(function (el) { el.remove(); });
    }
    var combo = document.createElement("div");
    combo.className = "picker-combo";
    var input = document.createElement("input");
    input.type = "text";
    input.id = (select.id || "picker" + n) + "-search";
    input.className = "form-control" + (select.classList.contains("is-invalid") ? " is-invalid" : "");
    input.autocomplete = "off";
    if (words.pickerPlaceholder) input.placeholder = words.pickerPlaceholder;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var list = document.createElement("ul");
    list.id = "picker-list-" + n;
    list.className = "picker-list list-unstyled";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label) label.htmlFor = input.id;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    var chips = null;
    if (multiple) {
      chips = document.createElement("ul");
      chips.className = "picker-chips list-unstyled";
      combo.appendChild(chips);
    }
    combo.appendChild(input);
    combo.appendChild(list);
    combo.appendChild(status);
    select.classList.add("d-none");
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.insertAdjacentElement("afterend", combo);

    var items = [];
    var active = -1;
    var seq = 0;

    function chosenLabel() {
      var opt = select.selectedIndex >= 0 ? select.options[select.selectedIndex] : null;
      return opt && opt.value ? opt.text : "";
    }

    function renderChips() {
      if (!chips) return;
      chips.textContent = "";
      Array.prototype.forEach.call(select.options, function (opt) {
        if (!opt.selected) return;
        var li = document.createElement("li");
        li.className = "picker-chip";
        var text = document.createElement("span");
        text.textContent = opt.text;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-sm btn-link picker-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (words.pickerRemove || "Remove") + " " + opt.text);
        remove.addEventListener("click", function () {
          opt.selected = false;
          renderChips();
          input.focus();
        });
        li.appendChild(text);
        li.appendChild(remove);
        chips.appendChild(li);
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function pick(item) {
      var opt = optionFor(select, item.value);
      if (!opt) {
        opt = new Option(item.label, item.value);
        select.add(opt);
      }
      if (multiple) {
        opt.selected = true;
        input.value = "";
        renderChips();
      } else {
        select.value = item.value;
        input.value = item.label;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }

    function move(step) {
      if (!items.length) return;
      active = (active + step + items.length) % items.length;
      list.querySelectorAll("[role=option]").forEach(function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        if (i === active) {
          input.setAttribute("aria-activedescendant", li.id);
          li.scrollIntoView({ block: "nearest" });
        }
      });
    }

    function show(data) {
      list.textContent = "";
      items = data.results || [];
      active = -1;
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "picker-option";
        var name = document.createElement("span");
        name.textContent = item.label;
        li.appendChild(name);
        if (item.detail) {
          var detail = document.createElement("small");
          detail.className = "d-block text-body-secondary";
          detail.textContent = item.detail;
          li.appendChild(detail);
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          pick(item);
        });
        list.appendChild(li);
      });
      var note = !items.length ? words.pickerNone : data.more ? words.pickerMore : "";
      if (note) {
        var info = document.createElement("li");
        info.className = "picker-note text-body-secondary";
        info.textContent = note;
        list.appendChild(info);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = (words.pickerFound || "") + " " + items.length + (data.more ? "+" : "");
    }

    var search = debounce(function () {
      var mine = ++seq;
      var url = select.dataset.picker + "?q=" + encodeURIComponent(input.value);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          if (mine === seq && document.activeElement === input) show(data);
        })
        .catch(function () {
          status.textContent = words.pickerError || "";
        });
    }, 150);

    input.addEventListener("input", function () {
      if (!multiple && input.value.trim() === "") select.value = "";
      search();
    });
    input.addEventListener("focus", search);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) search();
        else move(1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(-1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          pick(items[active]);
        }
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(function () {
        close();
        if (!multiple) input.value = chosenLabel(); // typed but not picked: show what is chosen
      }, 120);
    });

    if (!multiple) input.value = chosenLabel();
    renderChips();
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[data-picker]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
