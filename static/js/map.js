/* Link map, progressive enhancement: zoom buttons and highlighting of a
   node's links on hover or keyboard focus. The map works without it. */
(function () {
  "use strict";
  var svg = document.getElementById("link-map");
  var canvas = document.getElementById("map-canvas");
  if (!svg || !canvas) { return; }

  var edges = Array.prototype.slice.call(svg.querySelectorAll(".edge"));
  var nodes = {};
  Array.prototype.forEach.call(svg.querySelectorAll(".node"), function (node) {
    nodes[node.getAttribute("data-key")] = node;
  });

  function light(key) {
    svg.classList.add("is-highlighting");
    nodes[key].classList.add("is-lit");
    edges.forEach(function (edge) {
      var s = edge.getAttribute("data-s"), t = edge.getAttribute("data-t");
      if (s === key || t === key) {
        edge.classList.add("is-lit");
        var other = s === key ? t : s;
        if (nodes[other]) { nodes[other].classList.add("is-lit"); }
      }
    });
  }
  function unlight() {
    svg.classList.remove("is-highlighting");
    Array.prototype.forEach.call(svg.querySelectorAll(".is-lit"), function (el) { el.classList.remove("is-lit"); });
  }
  Object.keys(nodes).forEach(function (key) {
    var node = nodes[key];
    node.addEventListener("mouseenter", function () { light(key); });
    node.addEventListener("mouseleave", unlight);
    node.addEventListener("focus", function () { light(key); });
    node.addEventListener("blur", unlight);
  });

  // Zoom: widen the drawing inside its scrolling frame.
  var zoom = 1;
  var base = svg.getBoundingClientRect().width;
  var bar = document.createElement("div");
  bar.className = "map-zoom";
  function button(text, label, step) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-light btn-sm border";
    b.textContent = text;
    if (text !== label) { b.setAttribute("aria-label", label); }
    b.addEventListener("click", function () {
      zoom = step === 0 ? 1 : Math.min(4, Math.max(1, zoom * step));
      svg.style.width = (base * zoom) + "px";
      svg.style.minWidth = (base * zoom) + "px";
    });
    bar.appendChild(b);
  }
  var labels = canvas.dataset;
  button("+", labels.zoomIn || "Zoom in", 1.4);
  button("−", labels.zoomOut || "Zoom out", 1 / 1.4);
  button(labels.zoomReset || "Reset zoom", labels.zoomReset || "Reset zoom", 0);
  canvas.insertBefore(bar, svg);
})();
