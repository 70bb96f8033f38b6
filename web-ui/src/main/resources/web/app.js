// layertrace web view. Every string from a capture reaches the page through textContent or an
// attribute set with setAttribute (never parsed as markup), so names like "<img onerror=…>" stay text.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);

  /** el("li", {class: "x", "data-a": v}, child, "text", …): strings become text nodes. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) e.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await r.json().catch(() => ({ error: "unreadable response" }));
    if (!r.ok) throw new Error(body.error || ("HTTP " + r.status));
    return body;
  }

  const MARKS = { "seen": "✓", "unexpected": "!", "stopped": "✗", "not-reached": "·" };

  // The capture on screen: {id, capture, status: {layerId: {status, notes}}, hops: [layer…]}.
  let current = null;
  let teachIndex = -1;

  // ---------- captures list ----------
  async function loadList() {
    const list = $("captures");
    try {
      const data = await getJson("/api/captures");
      clear(list);
      $("captures-status").textContent = data.captures.length ? "" : "No captures in the folder.";
      for (const c of data.captures) {
        const summary = c.error ? c.error
          : [c.outcome, c.cause, c.layer ? "at " + c.layer : null].filter(Boolean).join(" · ");
        const btn = el("button", { type: "button", class: "capture-link", "data-capture-id": c.id },
          el("span", { class: "cid" }, c.id),
          el("span", { class: "badge", "data-outcome": c.outcome || "none" }, c.outcome || (c.error ? "error" : "path")),
          " ",
          el("span", { class: "csum" }, summary),
          el("span", { class: "csum" }, c.createdAt ? " · " + c.createdAt : ""));
        btn.addEventListener("click", () => { location.hash = "capture=" + encodeURIComponent(c.id); });
        list.append(el("li", {}, btn));
      }
      markCurrentInList();
    } catch (e) {
      $("captures-status").textContent = "Cannot list captures: " + e.message;
    }
  }

  function markCurrentInList() {
    for (const b of document.querySelectorAll(".capture-link")) {
      b.setAttribute("aria-current", current && b.dataset.captureId === current.id ? "true" : "false");
    }
  }

  // ---------- one capture ----------
  async function openCapture(id) {
    const enc = encodeURIComponent(id);
    try {
      const [capture, path] = await Promise.all([getJson("/api/captures/" + enc), getJson("/api/captures/" + enc + "/path")]);
      const status = {};
      for (const l of path.layers) status[l.id] = l;
      show(id, capture, status);
      for (const f of ["svg", "png", "md", "json", "pcapng"]) {
        $("export-" + f).setAttribute("href", "/api/captures/" + enc + "/export." + f);
      }
      $("graph-image").removeAttribute("src");
      $("graphviz").open = false;
    } catch (e) {
      $("welcome").hidden = false;
      $("capture-view").hidden = true;
      clear($("welcome"));
      $("welcome").append(el("h2", {}, "Cannot open capture"), el("p", { id: "open-error" }, e.message));
    }
  }

  /** Renders a capture; status maps layer id → {status, notes} (from /path, or derived for live). */
  function show(id, capture, status) {
    const byId = {};
    for (const n of capture.graph.nodes) byId[n.id] = n;
    const hops = (capture.graph.path || []).map((lid) => byId[lid]).filter(Boolean);
    current = { id, capture, status, hops, byId };
    teachIndex = -1;
    $("welcome").hidden = true;
    $("capture-view").hidden = false;
    if (!id) {
      // A live trace has no capture file yet: nothing to export.
      for (const f of ["svg", "png", "md", "json", "pcapng"]) $("export-" + f).removeAttribute("href");
    }
    const probe = (capture.probes || [])[0];
    $("capture-title").textContent = probe ? describeProbe(probe) : (id || "path");
    const kernels = new Set(hops.map((h) => h.kernel).filter(Boolean)).size || 1;
    $("capture-meta").textContent = [id, capture.createdAt, hops.length + " layers", kernels + (kernels === 1 ? " kernel" : " kernels"),
      capture.host && capture.host.hostname ? "host " + capture.host.hostname : null].filter(Boolean).join(" · ");
    showVerdict(capture.verdict || (capture.verdicts || [])[0]);
    drawPath();
    closePanel();
    stopTeaching();
    markCurrentInList();
    performance.mark("graph-ready");
    document.body.setAttribute("data-graph-ready", "true");
  }

  function describeProbe(p) {
    const port = (v) => (v === undefined || v === null ? "" : ":" + v);
    if (p.protocol === "icmp") return "ICMP echo " + p.src + " → " + p.dst;
    return p.protocol.toUpperCase() + (p.protocol === "tcp" ? " SYN " : " ") + p.src + port(p.srcPort) + " → " + p.dst + port(p.dstPort);
  }

  function refLabel(ref) {
    if (!ref) return "";
    return [ref.kind, ref.netns, ref.interface].filter(Boolean).join(" ");
  }

  function showVerdict(v) {
    const box = $("verdict");
    box.setAttribute("data-outcome", v ? v.outcome : "none");
    $("verdict-outcome").textContent = v ? v.outcome : "no verdict (path only)";
    $("verdict-layer").textContent = v && v.layer ? "at " + refLabel(v.layer) : "";
    $("verdict-cause").textContent = v && v.cause ? v.cause : "—";
    $("verdict-explanation").textContent = v && v.explanation ? v.explanation : "—";
    $("verdict-fix").textContent = v && v.fix ? v.fix : "—";
    const ev = $("verdict-evidence");
    clear(ev);
    for (const e of (v && v.evidence) || []) ev.append(el("li", {}, e));
  }

  function groupName(layer) {
    if (layer.kind === "vmm-link") return null;
    if (layer.kernel) return layer.kernel + " kernel";
    if (layer.kind === "remote") return "remote";
    return "kernel";
  }

  function drawPath() {
    const graph = $("path-graph");
    clear(graph);
    const { capture, hops, status } = current;
    let group = null;
    let groupKey;
    hops.forEach((layer, i) => {
      if (i > 0) {
        const edge = (capture.graph.edges || []).find((e) => e.from === hops[i - 1].id && e.to === layer.id);
        // A NAT edge's label is the rewrite the rule should make; if that NAT is where it went wrong, say so.
        const failedNat = edge && edge.type === "nat" && status[hops[i - 1].id] && status[hops[i - 1].id].status === "stopped";
        const text = edge ? "↓ " + edge.type + (edge.label ? ": " + (failedNat ? "expected " : "") + edge.label : "") : "↓";
        (group || graph).append(el("div", { class: "edge", "data-type": edge ? edge.type : "" }, text));
      }
      if (layer.kind === "vmm-link") {
        graph.append(el("div", { class: "boundary" }, "══ VMM boundary: into another kernel ══"));
        graph.append(layerNode(layer, i, status[layer.id]));
        group = null;
        groupKey = undefined;
        return;
      }
      const key = groupName(layer);
      if (group === null || key !== groupKey) {
        group = el("div", { class: "kernel-group", "data-kernel": layer.kernel || "" }, el("h4", {}, key));
        graph.append(group);
        groupKey = key;
      }
      group.append(layerNode(layer, i, status[layer.id]));
    });
  }

  function observedPacket(layerId) {
    const c = current.capture;
    const probe = (c.probes || [])[0];
    const obs = (c.observations || []).filter((o) => o.layerId === layerId && o.direction === "request"
      && (!probe || o.probeId === probe.id));
    return (obs.find((o) => o.outgoing) || obs[0] || {}).packet || null;
  }

  function packetSummary(p) {
    if (!p) return "";
    const port = (v) => (v === undefined || v === null ? "" : ":" + v);
    return p.src + port(p.srcPort) + " → " + p.dst + port(p.dstPort) + (p.ttl !== undefined ? "  ttl " + p.ttl : "");
  }

  function layerNode(layer, index, st) {
    const s = st ? st.status : "not-reached";
    const pkt = observedPacket(layer.id);
    const node = el("button", {
      type: "button", class: "layer", "data-layer-id": layer.id, "data-status": s, "data-kind": layer.kind,
      "data-index": index, "aria-pressed": "false", title: layer.id,
    },
      el("span", { class: "mark", "aria-label": s }, MARKS[s] || "?"),
      el("span", { class: "kind" }, layer.kind),
      el("span", { class: "where" }, [layer.netns, layer.interface].filter(Boolean).join(" ")),
      pkt ? el("span", { class: "pkt" }, packetSummary(pkt)) : null,
      st && st.notes && st.notes.length ? el("span", { class: "notes" }, st.notes.join("; ")) : null,
      s === "stopped" ? el("span", { class: "stop-badge", id: "stop-badge" }, "◀ stopped here") : null);
    node.addEventListener("click", () => openPanel(layer.id));
    return node;
  }

  // ---------- layer panel ----------
  function closePanel() {
    $("layer-panel").hidden = true;
    for (const n of document.querySelectorAll(".layer")) n.setAttribute("aria-pressed", "false");
  }

  function row(...cells) { return el("tr", {}, ...cells.map((c) => el("td", {}, c))); }

  /** The packet before the layer (last seen earlier on the path) and after it (seen here or next). */
  function beforeAfter(index) {
    const hops = current.hops;
    let before = null;
    for (let i = index - 1; i >= 0 && !before; i--) before = observedPacket(hops[i].id);
    let after = observedPacket(hops[index].id);
    for (let i = index + 1; i < hops.length && !after; i++) after = observedPacket(hops[i].id);
    if (!before) {
      const probe = (current.capture.probes || [])[0];
      if (probe) before = { src: probe.src, dst: probe.dst, srcPort: probe.srcPort, dstPort: probe.dstPort, ttl: probe.ttl };
    }
    return { before, after };
  }

  function openPanel(layerId) {
    const index = current.hops.findIndex((h) => h.id === layerId);
    const layer = current.byId[layerId];
    if (!layer) return;
    const st = current.status[layerId] || { status: "not-reached", notes: [] };
    for (const n of document.querySelectorAll(".layer")) {
      n.setAttribute("aria-pressed", n.dataset.layerId === layerId ? "true" : "false");
    }
    const panel = $("layer-panel");
    panel.hidden = false;
    panel.setAttribute("data-layer-id", layerId);
    $("layer-title").textContent = [layer.kind, layer.netns, layer.interface].filter(Boolean).join(" ");
    $("layer-status").textContent = (MARKS[st.status] || "") + " " + st.status + (st.notes && st.notes.length ? " — " + st.notes.join("; ") : "");
    $("layer-status").setAttribute("data-status", st.status);

    const facts = $("layer-facts");
    clear(facts);
    const add = (k, v) => { if (v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && !v.length)) facts.append(row(k, Array.isArray(v) ? v.join(", ") : String(v))); };
    add("id", layer.id); add("kind", layer.kind); add("netns", layer.netns); add("interface", layer.interface);
    add("kernel", layer.kernel); add("addresses", layer.addresses); add("mac", layer.mac); add("mtu", layer.mtu);
    add("state", layer.operState); add("master", layer.master); add("peer", layer.peer); add("driver", layer.driver);
    for (const [k, v] of Object.entries(layer.details || {})) add(k, v);

    const pk = $("layer-packet");
    clear(pk);
    if (index >= 0) {
      const { before, after } = beforeAfter(index);
      pk.append(el("tr", {}, el("th", {}, "field"), el("th", {}, "before"), el("th", {}, "after")));
      for (const f of ["src", "dst", "srcPort", "dstPort", "ttl", "srcMac", "dstMac", "length"]) {
        const b = before ? before[f] : undefined;
        const a = after ? after[f] : undefined;
        if (b === undefined && a === undefined) continue;
        const tr = row(f, b === undefined ? "—" : String(b), a === undefined ? "—" : String(a));
        if (b !== undefined && a !== undefined && b !== a) tr.setAttribute("class", "changed");
        tr.setAttribute("data-field", f);
        pk.append(tr);
      }
    }

    const natEdge = (current.capture.graph.edges || []).find((e) => e.from === layerId && e.type === "nat" && e.label);
    $("layer-nat-expected").textContent = natEdge ? "this NAT should rewrite: " + natEdge.label : "";

    const ot = $("layer-observations");
    clear(ot);
    const obs = (current.capture.observations || []).filter((o) => o.layerId === layerId);
    if (!obs.length) ot.append(row("none: no observer saw the packet here"));
    for (const o of obs) {
      const p = o.packet;
      ot.append(row(o.direction + (o.outgoing ? " out" : " in"), packetSummary(p),
        [p.srcMac, p.dstMac].some(Boolean) ? (p.srcMac || "?") + " → " + (p.dstMac || "?") : "",
        "+" + (o.timeNs / 1000).toFixed(0) + " µs"));
    }

    const ev = $("layer-events");
    clear(ev);
    const events = (current.capture.kernelEvents || []).filter((e) => e.layerId === layerId);
    if (!events.length) ev.append(el("li", { class: "muted" }, "none"));
    for (const e of events) ev.append(el("li", {}, e.event + (e.location ? " at " + e.location : "") + (e.reason ? ": " + e.reason : "")));

    const fl = $("layer-findings");
    clear(fl);
    const findings = (current.capture.findings || []).filter((f) => f.layer && f.layer.kind === layer.kind
      && (!f.layer.netns || f.layer.netns === layer.netns) && (!f.layer.interface || f.layer.interface === layer.interface));
    if (!findings.length) fl.append(el("li", { class: "muted" }, "none"));
    for (const f of findings) {
      fl.append(el("li", { "data-severity": f.severity }, f.severity + " " + f.code + ": " + (f.message || ""),
        f.fix ? el("div", {}, "fix: ", el("code", {}, f.fix)) : null,
        ...(f.evidence || []).map((x) => el("div", { class: "muted" }, x))));
    }
  }

  // ---------- teaching mode ----------
  function stopTeaching() {
    $("teach-panel").hidden = true;
    for (const n of document.querySelectorAll(".layer.teach-current")) {
      n.classList.remove("teach-current");
      n.removeAttribute("data-teach-current");
    }
  }

  /** What this hop did to the packet, compared with the previous hop. */
  function changesAt(index) {
    const out = [];
    const layer = current.hops[index];
    const prev = index > 0 ? current.hops[index - 1] : null;
    const { before, after } = beforeAfter(index);
    const here = observedPacket(layer.id);
    if (layer.kind === "vmm-link" || (prev && prev.kernel && layer.kernel && prev.kernel !== layer.kernel)) {
      out.push("Tap crossing: the frame leaves the " + (prev && prev.kernel ? prev.kernel : "guest") + " kernel and enters another kernel.");
    }
    if (before && after) {
      if (layer.kind === "nat") {
        if (before.src !== after.src) out.push("NAT source rewrite: " + before.src + " → " + after.src + ".");
        else out.push("No source rewrite: the packet still carries " + after.src + " after this NAT layer.");
      } else if (here && before.src !== here.src) {
        out.push("Source address changed: " + before.src + " → " + here.src + ".");
      }
      if (here && before.ttl !== undefined && here.ttl !== undefined && here.ttl < before.ttl) {
        out.push("TTL decrement: " + before.ttl + " → " + here.ttl + " (routed).");
      }
      if (here && before.srcMac && here.srcMac && before.srcMac !== here.srcMac) {
        out.push("MAC change: source MAC " + before.srcMac + " → " + here.srcMac + ".");
      }
    }
    if (layer.kind === "forwarding" && !out.some((x) => x.startsWith("TTL"))) out.push("Routing decrements the TTL by one.");
    if (layer.kind === "nic" || layer.kind === "uplink") {
      if (!out.some((x) => x.startsWith("MAC"))) out.push("MAC change: a new Ethernet header with this device's MAC as source and the next hop's as destination.");
    }
    const st = current.status[layer.id];
    if (st && st.status === "stopped") out.push("✗ This is where it went wrong: " + ((current.capture.verdict || {}).cause || "see the verdict") + ".");
    if (!out.length) out.push("The headers pass through unchanged.");
    return out;
  }

  function teachStep(i) {
    const n = current.hops.length;
    teachIndex = Math.max(0, Math.min(n - 1, i));
    const layer = current.hops[teachIndex];
    $("teach-panel").hidden = false;
    $("teach-panel").setAttribute("data-step", String(teachIndex));
    $("teach-step").textContent = "Hop " + (teachIndex + 1) + " of " + n;
    $("teach-title").textContent = [layer.kind, layer.netns, layer.interface].filter(Boolean).join(" ");
    $("teach-text").textContent = (window.LT_TEACHING || {})[layer.kind] || "";
    const ch = $("teach-changes");
    clear(ch);
    for (const c of changesAt(teachIndex)) ch.append(el("li", {}, c));
    for (const node of document.querySelectorAll(".layer")) {
      const on = node.dataset.layerId === layer.id;
      node.classList.toggle("teach-current", on);
      if (on) { node.setAttribute("data-teach-current", "true"); node.scrollIntoView({ block: "nearest" }); }
      else node.removeAttribute("data-teach-current");
    }
    $("teach-prev").disabled = teachIndex === 0;
    $("teach-next").disabled = teachIndex === n - 1;
  }

  // ---------- live mode ----------
  function liveStatus(text, state) {
    $("live-status").textContent = text;
    $("live-status").setAttribute("data-state", state);
  }

  async function startLive(ev) {
    ev.preventDefault();
    const body = {
      source: $("live-source").value.trim(),
      destination: $("live-destination").value.trim(),
      protocol: $("live-protocol").value,
    };
    if (body.protocol !== "icmp") body.port = Number($("live-port").value);
    clear($("live-log"));
    liveStatus("starting…", "running");
    let r;
    try {
      r = await fetch("/api/live", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Layertrace-Token": $("live-token").value },
        body: JSON.stringify(body),
      });
    } catch (e) {
      liveStatus("cannot reach the server: " + e.message, "error");
      return;
    }
    if (!r.ok) {
      const err = await r.json().catch(() => ({}));
      liveStatus(err.error || ("HTTP " + r.status), "error");
      return;
    }
    const live = { graph: null, status: null };
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const msg = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        let event = "message";
        let data = "";
        for (const line of msg.split("\n")) {
          if (line.startsWith("event: ")) event = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        onLiveEvent(live, event, data ? JSON.parse(data) : null);
      }
    }
  }

  function onLiveEvent(live, event, data) {
    if (event === "path") {
      live.graph = data;
      show(null, { graph: data, probes: [], observations: [], verdicts: [] }, {});
      $("capture-title").textContent = "Live trace";
      $("verdict-outcome").textContent = "tracing…";
      liveStatus("probe sent, waiting for observations…", "running");
    } else if (event === "observation") {
      $("live-log").append(el("li", {}, data.layerId + ": " + packetSummary(data.packet)));
      const node = document.querySelector('.layer[data-layer-id="' + CSS.escape(data.layerId) + '"]');
      if (node && data.direction === "request") {
        node.setAttribute("data-status", "seen");
        node.querySelector(".mark").textContent = MARKS.seen;
      }
    } else if (event === "kernel-event") {
      $("live-log").append(el("li", {}, "kernel: " + data.event + (data.reason ? " " + data.reason : "")));
    } else if (event === "status") {
      live.status = {};
      for (const l of data.layers) live.status[l.id] = l;
    } else if (event === "capture") {
      show(null, data, live.status || {});
      liveStatus("finished: " + (data.verdict ? data.verdict.outcome : "no verdict"), "done");
    } else if (event === "error") {
      liveStatus(data.error, "error");
    }
  }

  // ---------- wiring ----------
  function route() {
    const m = /^#capture=(.+)$/.exec(location.hash);
    if (m) openCapture(decodeURIComponent(m[1]));
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("layer-close").addEventListener("click", closePanel);
    $("teach-toggle").addEventListener("click", () => {
      if (!current) return;
      if ($("teach-panel").hidden) teachStep(0); else stopTeaching();
    });
    $("teach-prev").addEventListener("click", () => teachStep(teachIndex - 1));
    $("teach-next").addEventListener("click", () => teachStep(teachIndex + 1));
    $("graphviz").addEventListener("toggle", () => {
      if ($("graphviz").open && current && current.id && !$("graph-image").getAttribute("src")) {
        $("graph-image").setAttribute("src", "/api/captures/" + encodeURIComponent(current.id) + "/graph.svg");
      }
    });
    $("live-form").addEventListener("submit", startLive);
    window.addEventListener("hashchange", route);
    loadList();
    route();
  });
})();
