// The network page (issue 14, ADR 50): draws the graph the server put in #network-data (a
// json_script block, no inline script: the CSP allows scripts from this server only) with
// cytoscape.js, copied from npm into static/build by `npm run build`. The tables beside it
// hold the same content and work without JavaScript.
import cytoscape from "../build/cytoscape.esm.min.js";

const box = document.getElementById("network-graph");
const source = document.getElementById("network-data");
const status = document.getElementById("network-status");

if (box && source) {
  // cytoscape injects a <style> element (".__________cytoscape_container { position: relative }")
  // unless an element with its id is there already; the CSP refuses inline styles, so app.css
  // carries the rule (.app-network-graph) and this marker stops the injection.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    const marker = document.createElement("meta");
    marker.id = "__________cytoscape_stylesheet";
    document.head.append(marker);
  }
  const graph = JSON.parse(source.textContent);
  const cy = cytoscape({
    container: box,
    elements: [...graph.nodes, ...graph.edges],
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 9, "text-wrap": "ellipsis",
                                   "text-max-width": 110, width: 14, height: 14,
                                   "background-color": "#1d70b8" } },
      { selector: "node[kind = 'child']", style: { shape: "ellipse", "background-color": "#4c2c92" } },
      { selector: "node[kind = 'place']", style: { shape: "diamond", "background-color": "#505a5f" } },
      { selector: "node[kind != 'child'][kind != 'place']", style: { shape: "round-rectangle" } },
      { selector: "node[hub = 'yes']", style: { "background-color": "#d4351c", width: 26,
                                                height: 26, "font-weight": "bold",
                                                "border-width": 3, "border-color": "#0b0c0c" } },
      { selector: "edge", style: { width: 1, "line-color": "#b1b4b6" } },
      { selector: "edge[relation = 'missing_together'], edge[relation = 'found_together']",
        style: { "line-style": "dashed", "line-color": "#f47738" } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 8000,
              idealEdgeLength: () => 60, numIter: 1000 },
  });
  box.dataset.drawnNodes = String(cy.nodes().length);
  box.dataset.drawnEdges = String(cy.edges().length);
  if (status) {
    status.textContent = `Drawn: ${cy.nodes().length} nodes and ${cy.edges().length} links. ` +
      "Drag to move, scroll to zoom; the tables below give the same content.";
  }
}
