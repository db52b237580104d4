/* Typeset every .math element with the vendored KaTeX (offline). The element's text is the LaTeX
   source (HTML-escaped in the page, so the browser hands back the exact string); KaTeX builds the
   output without trusting any HTML in it. A formula KaTeX cannot parse is shown as .katex-error. */
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
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typeset);
  } else {
    typeset();
  }
})();
