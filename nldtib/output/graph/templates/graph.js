/* nldtib interactive graph: search, focus on a neighbourhood, filters by label, details, and
   physics that stops once the layout has stabilised. No network access: everything is inline. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("nldtib-data").textContent);

  // tooltips as plain text (vis-network shows a string title as text, never as HTML)
  function tooltip(info) {
    var lines = [info.heading];
    if (info.highlight) { lines.push(info.highlight); }
    info.props.forEach(function (kv) { lines.push(kv[0] + ": " + kv[1]); });
    if (info.provenance.length) {
      lines.push("- provenance -");
      info.provenance.forEach(function (kv) { lines.push(kv[0] + ": " + kv[1]); });
    }
    return lines.join("\n");
  }
  data.nodes.forEach(function (n) { n.title = tooltip(n.nldtib); });
  data.edges.forEach(function (e) { e.title = tooltip(e.nldtib); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("nldtib-graph");
  var progress = document.getElementById("nldtib-progress");
  var state = { ready: false, focus: null, labelsOff: {}, hubsOff: {}, layouts: 0, layingOut: true };

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.network = network;

  function finishLayout() {
    if (!state.layingOut) { return; }
    network.setOptions({ physics: { enabled: false } });
    state.layingOut = false;
    state.ready = true;
    state.layouts += 1;
    progress.classList.add("done");
    document.body.setAttribute("data-ready", "1");
    document.body.setAttribute("data-layouts", String(state.layouts));
  }

  // lay the visible nodes out again, from scratch (after a filter): hidden nodes take no space
  function relayout() {
    state.layingOut = true;
    progress.textContent = "Laying out the graph...";
    progress.classList.remove("done");
    network.setOptions({ physics: { enabled: true } });
    network.setData({ nodes: nodes, edges: edges });  // the same data sets: new positions, same filters
  }

  network.on("stabilizationProgress", function (p) {
    progress.textContent = "Laying out the graph... " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.on("stabilizationIterationsDone", finishLayout);
  network.on("stabilized", finishLayout);
  if (data.nodes.length === 0) { finishLayout(); }

  // adjacency, undirected, for focus
  var adjacent = {};
  data.nodes.forEach(function (n) { adjacent[n.id] = []; });
  data.edges.forEach(function (e) { adjacent[e.from].push(e.to); adjacent[e.to].push(e.from); });

  function neighbourhood(start, depth) {
    var seen = {}; seen[start] = 0;
    var frontier = [start];
    for (var d = 1; d <= depth; d++) {
      var next = [];
      frontier.forEach(function (id) {
        adjacent[id].forEach(function (other) {
          if (!(other in seen)) { seen[other] = d; next.push(other); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  // a node is hidden by a hub filter when every value it has for that hub label is unticked
  function hiddenByHubs(n) {
    var hubs = n.nldtib.hubs || {};
    return Object.keys(hubs).some(function (label) {
      var off = state.hubsOff[label] || {};
      return hubs[label].length > 0 && hubs[label].every(function (v) { return !!off[v]; });
    });
  }

  function applyVisibility() {
    var inFocus = state.focus ? neighbourhood(state.focus.id, state.focus.depth) : null;
    var updates = [];
    var shown = 0;
    data.nodes.forEach(function (n) {
      var hidden = !!state.labelsOff[n.nldtib.label] || hiddenByHubs(n) || (inFocus !== null && !(n.id in inFocus));
      if (state.focus && n.id === state.focus.id) { hidden = false; }
      if (!hidden) { shown++; }
      updates.push({ id: n.id, hidden: hidden });
    });
    nodes.update(updates);
    return shown;
  }

  function focusOn(id, depth) {
    if (nodes.get(id) === null) { return false; }
    state.focus = { id: id, depth: depth };
    var shown = applyVisibility();
    document.getElementById("nldtib-focus-status").textContent =
      "Showing " + shown + " nodes within " + depth + " step" + (depth === 1 ? "" : "s") + " of " + nodes.get(id).nldtib.name + ".";
    network.fit({ animation: false });
    return true;
  }

  function showAll() {
    state.focus = null;
    applyVisibility();
    document.getElementById("nldtib-focus-status").textContent = "";
    network.fit({ animation: false });
  }

  // case, accents, hyphens, spaces and punctuation ignored, as nldtib search does
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  }

  function search(text) {
    var q = fold(text);
    if (!q) { return null; }
    var best = null, bestRank = 99;
    data.nodes.forEach(function (n) {
      var keys = [n.id, n.nldtib.name].concat(n.nldtib.aliases || []);
      keys.forEach(function (k) {
        var f = fold(k), rank = 99;
        if (f === q) { rank = 0; } else if (f.indexOf(q) === 0) { rank = 1; } else if (f.indexOf(q) >= 0) { rank = 2; }
        if (rank < bestRank || (rank === bestRank && best && n.nldtib.name < best.nldtib.name)) { best = n; bestRank = rank; }
      });
    });
    return best;
  }

  function definitionList(pairs) {
    var dl = document.createElement("dl");
    pairs.forEach(function (kv) {
      var dt = document.createElement("dt"); dt.textContent = kv[0];
      var dd = document.createElement("dd"); dd.textContent = kv[1];
      dl.appendChild(dt); dl.appendChild(dd);
    });
    return dl;
  }

  function showDetails(item) {
    var box = document.getElementById("nldtib-details");
    box.textContent = "";
    var head = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = item.nldtib.heading;
    head.appendChild(strong);
    box.appendChild(head);
    if (item.nldtib.highlight) {
      var hl = document.createElement("p"); hl.className = "nldtib-note"; hl.textContent = item.nldtib.highlight;
      box.appendChild(hl);
    }
    box.appendChild(definitionList(item.nldtib.props));
    if (item.nldtib.provenance.length) {
      var h = document.createElement("p"); h.textContent = "Provenance"; h.className = "nldtib-muted";
      box.appendChild(h);
      box.appendChild(definitionList(item.nldtib.provenance));
    }
  }

  function selectNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showDetails(nodes.get(id));
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(nodes.get(params.nodes[0])); }
    else if (params.edges.length) { showDetails(edges.get(params.edges[0])); }
  });

  // search box: names in a datalist (no external widget)
  var list = document.getElementById("nldtib-names");
  data.nodes.slice().sort(function (a, b) { return a.nldtib.name < b.nldtib.name ? -1 : 1; }).forEach(function (n) {
    var opt = document.createElement("option"); opt.value = n.nldtib.name; list.appendChild(opt);
  });
  document.getElementById("nldtib-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = document.getElementById("nldtib-search").value;
    var hit = search(text);
    var status = document.getElementById("nldtib-search-status");
    if (!hit) {  // a failed search clears the previous selection: nothing stays highlighted
      network.unselectAll();
      document.getElementById("nldtib-details").textContent = "";
      status.textContent = "No match.";
      return;
    }
    if (nodes.get(hit.id).hidden) { showAll(); }
    status.textContent = "";
    selectNode(hit.id);
  });

  document.getElementById("nldtib-focus").addEventListener("click", function () {
    var sel = network.getSelectedNodes();
    var status = document.getElementById("nldtib-focus-status");
    if (!sel.length) { status.textContent = "Select a node first (click it or search for it)."; return; }
    focusOn(sel[0], parseInt(document.getElementById("nldtib-depth").value, 10));
  });
  document.getElementById("nldtib-show-all").addEventListener("click", showAll);

  Array.prototype.forEach.call(document.querySelectorAll(".nldtib-label-filter"), function (box) {
    box.addEventListener("change", function () {
      if (box.checked) { delete state.labelsOff[box.value]; } else { state.labelsOff[box.value] = true; }
      applyVisibility();
      relayout();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".nldtib-hub-filter"), function (box) {
    box.addEventListener("change", function () {
      var label = box.getAttribute("data-label");
      state.hubsOff[label] = state.hubsOff[label] || {};
      if (box.checked) { delete state.hubsOff[label][box.value]; } else { state.hubsOff[label][box.value] = true; }
      applyVisibility();
      relayout();
    });
  });

  window.nldtib = {
    state: state, nodes: nodes, edges: edges, network: network,
    focusOn: focusOn, showAll: showAll, search: search, selectNode: selectNode, relayout: relayout
  };
})();
