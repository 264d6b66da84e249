// Draws the call flow: Mermaid turns the <pre class="mermaid"> text into an SVG.
/* global mermaid */
mermaid.initialize({ startOnLoad: false, securityLevel: "strict", flowchart: { htmlLabels: true } });
mermaid.run({ querySelector: "pre.mermaid" }).then(function () {
  document.body.dataset.flow = "drawn";
});
