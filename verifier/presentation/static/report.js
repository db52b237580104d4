/* Typeset every .math element with the vendored KaTeX (offline). The element's text is the LaTeX
   source (HTML-escaped in the page, so the browser hands back the exact string); KaTeX builds the
   output without trusting any HTML in it. A formula KaTeX cannot parse is shown as .katex-error.
   On the index, the dependency graph gets a filter (by verdict and by paper: other results fade) and
   zoom buttons; the choices are read from the graph's own data attributes. */
(function () {
  "use strict";
  function typeset() {
    var root = document.documentElement;
    if (typeof window.katex === "undefined") {
      root.classList.add("no-katex");
      return;
    }
    var nodes = document.querySelectorAll(".math");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var tex = el.textContent;
      // A display formula is set in display style but in inline mode, so that a long statement
      // breaks after a relation or operator instead of running off the page (and the printout).
      var display = el.classList.contains("display");
      try {
        window.katex.render(display ? "\\displaystyle " + tex : tex, el, {
          displayMode: false,
          throwOnError: false,
          strict: "ignore",
          trust: false,
          output: "htmlAndMathml"
        });
      } catch (err) {
        el.classList.add("math-failed");
        el.textContent = tex;
      }
    }
    root.classList.add("katex-done");
  }
  function select(label, key, values) {
    var wrap = document.createElement("label");
    var box = document.createElement("select");
    box.setAttribute("data-filter", key);
    wrap.appendChild(document.createTextNode(label + " "));
    [""].concat(values).forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value || "all";
      box.appendChild(option);
    });
    wrap.appendChild(box);
    return wrap;
  }
  function button(text, zoom, title) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = title;
    b.setAttribute("data-zoom", zoom);
    return b;
  }
  function graphControls() {
    var box = document.querySelector(".graph-box");
    var svg = box && box.querySelector("svg.dependency-graph[viewBox]");
    if (!svg) return;
    var nodes = Array.prototype.slice.call(svg.querySelectorAll("g.node"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll("g.edge"));
    function distinct(key) {
      var seen = {};
      nodes.forEach(function (n) { if (n.getAttribute(key)) seen[n.getAttribute(key)] = true; });
      return Object.keys(seen).sort();
    }
    var bar = document.createElement("div");
    bar.className = "graph-controls";
    bar.appendChild(select("verdict", "verdict", distinct("data-verdict")));
    bar.appendChild(select("paper", "paper", distinct("data-paper")));
    var zoom = document.createElement("span");
    zoom.className = "zoom";
    zoom.appendChild(button("\u2212", "out", "zoom out"));
    zoom.appendChild(button("fit", "fit", "fit the width"));
    zoom.appendChild(button("+", "in", "zoom in"));
    bar.appendChild(zoom);
    box.parentNode.insertBefore(bar, box);
    var view = svg.viewBox.baseVal;
    var scale = null;  // null: as drawn (fitted when the graph is small enough)
    function shown() { return svg.getBoundingClientRect().width / view.width; }
    function setScale(value) {
      scale = Math.min(4, Math.max(0.1, value));
      svg.style.maxWidth = "none";
      svg.style.width = (view.width * scale) + "px";
      svg.style.height = (view.height * scale) + "px";
    }
    zoom.addEventListener("click", function (event) {
      var which = event.target.getAttribute("data-zoom");
      if (which === "in") setScale((scale || shown()) * 1.25);
      if (which === "out") setScale((scale || shown()) / 1.25);
      if (which === "fit") setScale(box.clientWidth / view.width);
    });
    function filter() {
      var want = {};
      bar.querySelectorAll("select").forEach(function (s) { want[s.getAttribute("data-filter")] = s.value; });
      var keep = {};
      nodes.forEach(function (n) {
        var ok = (!want.verdict || n.getAttribute("data-verdict") === want.verdict) &&
                 (!want.paper || n.getAttribute("data-paper") === want.paper);
        n.classList.toggle("faded", !ok);
        keep[n.getAttribute("data-id")] = ok;
      });
      edges.forEach(function (e) {
        e.classList.toggle("faded", !(keep[e.getAttribute("data-from")] && keep[e.getAttribute("data-to")]));
      });
    }
    bar.addEventListener("change", filter);
  }
  function start() {
    typeset();
    graphControls();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
