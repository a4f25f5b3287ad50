// <svcflow-view>: how the Kubernetes Services of some YAML resolve (DNS → Service → kube-proxy →
// Pod), drawn in the page, computed in the browser by the svcflow engine (WebAssembly).
//
//   <script type="module" src="embed/svcflow-view.js"></script>
//   <svcflow-view tab="iptables">
//     <script type="text/yaml">
//       apiVersion: v1
//       kind: Service
//       ...
//     </script>
//   </svcflow-view>
//   <svcflow-view src="examples/web.yaml" theme="dark" height="400px"></svcflow-view>
//
// The YAML is the file `src` names (same origin only), else a `<script type="text/yaml">` child
// (nothing in it is parsed as HTML), else the element's text (mind `<` and `&`); the common
// indentation is removed. Attributes: tab="problems|iptables|dns|endpoints|explain" (the panel
// under the diagram; default explain), theme="light|dark" (default: the reader's
// prefers-color-scheme), height="400px" (of the diagram; default: its natural height up to
// 460px), and the engine's options namespace, cluster-domain, node-name, cluster-cidr,
// ip-family. Properties: `yaml` (get/set; setting it overrides src and the content), `result`
// (the engine's answer, see pkg/svcflow_js.d.ts), `state` ("idle" | "loading" | "ready" |
// "error"). Events: "svcflow-render" (detail: {result}) and "svcflow-error" (detail: {message}).
//
// An element renders when it first scrolls near the viewport; the engine (pkg/, built by
// scripts/build-js.sh) is fetched then, once for the whole page, and shared by every element.
// The page must allow WebAssembly ('wasm-unsafe-eval' if it sets a Content-Security-Policy).
// Until this script runs the YAML shows as text; pages can style that state with
// `svcflow-view:not(:defined) { display: block; white-space: pre; font-family: monospace }`.

const HERE = new URL(".", import.meta.url);
const SVG_NS = "http://www.w3.org/2000/svg";
const TABS = [
  ["explain", "Explain"],
  ["problems", "Problems"],
  ["endpoints", "Endpoints"],
  ["dns", "DNS"],
  ["iptables", "iptables"],
];
const OPTION_ATTRIBUTES = {
  namespace: "namespace",
  "cluster-domain": "clusterDomain",
  "node-name": "nodeName",
  "cluster-cidr": "clusterCidr",
  "ip-family": "ipFamily",
};
const STATUS_WORDS = { ok: "", warning: "warning", error: "problem", excluded: "gets no traffic" };
const STATUS_GLYPHS = { ok: "", warning: "⚠", error: "✗", excluded: "⊘" };
const KIND_WORDS = {
  dns: "DNS name",
  entry: "entry",
  service: "Service",
  chain: "kube-proxy chain",
  sep: "endpoint chain",
  pod: "Pod",
  "external-host": "external host",
  reject: "rejected",
};

// ---- shared, once per page -------------------------------------------------------------------

// The stylesheet: fetched when this module loads (small), shared by every shadow root.
const BASE_CSS = ":host{display:block}";
const styles = fetch(new URL("svcflow-view.css", HERE))
  .then((r) => (r.ok ? r.text() : ""))
  .catch(() => "")
  .then((text) => {
    if (typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype &&
        "adoptedStyleSheets" in ShadowRoot.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(BASE_CSS + text);
      return { sheet };
    }
    return { text: BASE_CSS + text };
  });

// The engine: imported and instantiated when the first element needs it.
let engine = null;
function loadEngine() {
  engine ??= import(new URL("pkg/svcflow_js.js", HERE).href).then(async (m) => {
    await m.default({ module_or_path: new URL("pkg/svcflow_js_bg.wasm", HERE) });
    return m;
  });
  engine.catch(() => { engine = null; }); // a failed download may be retried by a later element
  return engine;
}

// One observer for all elements: each renders the first time it comes near the viewport.
const visibility = typeof IntersectionObserver === "function"
  ? new IntersectionObserver((entries) => {
      for (const e of entries) if (e.isIntersecting) e.target._svcflowVisible();
    }, { rootMargin: "200px 0px" })
  : null;

let counter = 0;

// ---- helpers ---------------------------------------------------------------------------------

/** HTML element; children are nodes or strings (always text nodes: never parsed as HTML). */
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

/** SVG element (text content only through textContent). */
function s(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Remove the indentation the HTML source added, and the blank lines around. */
export function dedent(text) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(cut, l.match(/^[ \t]*/)[0].length))).join("\n") + "\n";
}

/** `p=0.3333333333` → `p=0.33` (kube-proxy's probabilities, on a small diagram; tooltips keep them whole). */
function short(text) {
  return text.replace(/(\d\.\d\d)\d{3,}/g, "$1");
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Shorten an SVG text to `max` user units (measured when laid out, estimated otherwise). */
function fit(text, full, max, perChar) {
  let t = full;
  if (t.length * perChar > max * 1.6) t = t.slice(0, Math.floor((max * 1.6) / perChar));
  text.textContent = t;
  let width = text.getComputedTextLength ? text.getComputedTextLength() : 0;
  if (!width) width = t.length * perChar;
  while (width > max && t.length > 1) {
    t = t.slice(0, -1);
    text.textContent = t + "…";
    width = text.getComputedTextLength() || (t.length + 1) * perChar;
  }
}

// ---- the element -----------------------------------------------------------------------------

export class SvcflowView extends HTMLElement {
  static observedAttributes = ["tab", "height", "src", ...Object.keys(OPTION_ATTRIBUTES)];

  #root;
  #frame;
  #uid = ++counter;
  #inline = null; // the YAML of the element's content, read once
  #yaml = null; // set through the `yaml` property
  #text = null; // the YAML last analysed
  #result = null;
  #state = "idle";
  #visible = false;
  #run = 0;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    this.#frame = h("div", { class: "frame", part: "frame" });
    this.#root.append(this.#frame);
    this.#placeholder("");
    styles.then(({ sheet, text }) => {
      if (sheet) this.#root.adoptedStyleSheets = [sheet];
      else this.#root.prepend(h("style", {}, text));
    });
  }

  connectedCallback() {
    if (this.#visible) return;
    if (visibility) visibility.observe(this);
    else this._svcflowVisible();
  }

  disconnectedCallback() {
    if (visibility) visibility.unobserve(this);
  }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === "tab") {
      if (this.#result) this.#renderTabs();
    } else if (name === "height") {
      this.#applyHeight();
    } else if (this.#visible) {
      this.#update();
    }
  }

  /** Called by the shared IntersectionObserver (not part of the API). */
  _svcflowVisible() {
    if (this.#visible) return;
    this.#visible = true;
    if (visibility) visibility.unobserve(this);
    this.#update();
  }

  get state() {
    return this.#state;
  }

  /** The engine's answer for the current YAML (null until rendered). */
  get result() {
    return this.#result;
  }

  /** The YAML shown: set it to show other YAML (rendered when visible). */
  get yaml() {
    return this.#yaml ?? (this.hasAttribute("src") ? this.#text ?? "" : this.#readInline());
  }

  set yaml(text) {
    this.#yaml = String(text ?? "");
    if (this.#visible) this.#update();
  }

  get tab() {
    const t = this.getAttribute("tab");
    return TABS.some(([id]) => id === t) ? t : "explain";
  }

  set tab(value) {
    this.setAttribute("tab", value);
  }

  #readInline() {
    if (this.#inline === null) {
      const script = this.querySelector(
        ':scope > script[type="text/yaml"], :scope > script[type="application/yaml"], :scope > script[type="text/x-yaml"]');
      this.#inline = dedent(script ? script.textContent : this.textContent);
    }
    return this.#inline;
  }

  async #source() {
    if (this.#yaml !== null) return this.#yaml;
    const src = this.getAttribute("src");
    if (!src) return this.#readInline();
    const url = new URL(src, document.baseURI);
    if (url.origin !== location.origin) {
      throw new Error(`refusing to load ${url.href}: src must be on this page's origin (${location.origin})`);
    }
    const response = await fetch(url, { mode: "same-origin", credentials: "same-origin" });
    if (!response.ok) throw new Error(`cannot load ${src}: HTTP ${response.status}`);
    return response.text();
  }

  #options() {
    const options = {};
    for (const [attr, key] of Object.entries(OPTION_ATTRIBUTES)) {
      const v = this.getAttribute(attr);
      if (v) options[key] = v;
    }
    return options;
  }

  #setState(state) {
    this.#state = state;
    this.#frame.dataset.state = state;
  }

  #placeholder(message) {
    this.#frame.replaceChildren(h("div", { class: "placeholder", role: "status" }, message));
  }

  async #update() {
    const run = ++this.#run;
    this.#setState("loading");
    if (!this.#result) this.#placeholder("Loading svcflow…");
    try {
      const [m, yaml] = await Promise.all([loadEngine(), this.#source(), styles]);
      if (run !== this.#run) return;
      this.#result = m.analyze(yaml, this.#options());
      this.#text = yaml;
      this.#render();
      this.#setState("ready");
      this.dispatchEvent(new CustomEvent("svcflow-render", { bubbles: true, detail: { result: this.#result } }));
    } catch (e) {
      if (run !== this.#run) return;
      const message = (e instanceof Error ? e.message : String(e)).replace(/^svcflow: /, "");
      this.#result = null;
      this.#setState("error");
      this.#frame.replaceChildren(h("div", { class: "failure", role: "alert" }, `svcflow: ${message}`));
      this.dispatchEvent(new CustomEvent("svcflow-error", { bubbles: true, detail: { message } }));
    }
  }

  // ---- rendering ------------------------------------------------------------------------------

  #render() {
    const r = this.#result;
    const services = r.graph.nodes.filter((n) => n.kind === "service").length;
    const pods = r.graph.nodes.filter((n) => n.kind === "pod").length;
    const head = h("div", { class: "head", part: "head" },
      h("span", { class: "brand" }, "svcflow"),
      h("span", {}, `${plural(r.objects.length, "object")} · ${plural(services, "Service")} · ${plural(pods, "pod")}`));
    this.#diagram = h("div", { class: "diagram", part: "diagram", tabindex: "0" }, this.#svg(r.graph));
    this.#tabs = h("div", { class: "tabs", role: "tablist", "aria-label": "Details" });
    this.#panel = h("div", { class: "panel", part: "panel", role: "tabpanel", id: `svcflow-${this.#uid}-panel` });
    this.#frame.replaceChildren(head, this.#diagram, this.#problemsStrip(r), this.#tabs, this.#panel);
    this.#applyHeight();
    this.#fitTexts();
    this.#renderTabs();
  }

  #diagram = null;
  #tabs = null;
  #panel = null;

  #applyHeight() {
    if (!this.#diagram) return;
    let height = this.getAttribute("height")?.trim();
    if (height && /^\d+(\.\d+)?$/.test(height)) height += "px";
    const valid = height && CSS.supports("height", height);
    this.#diagram.style.height = valid ? height : "";
    this.#diagram.style.maxHeight = valid ? "none" : "";
  }

  #svg(g) {
    const id = `svcflow-${this.#uid}`;
    const nodes = g.nodes.length;
    const svg = s("svg", {
      viewBox: `0 0 ${g.width} ${g.height}`,
      width: g.width,
      height: g.height,
      role: "img",
      "aria-label": nodes
        ? `Flow diagram with ${plural(nodes, "node")}; the Explain tab describes it in words.`
        : "Empty flow diagram: the input has no Service.",
    });
    const defs = s("defs");
    for (const status of ["ok", "error"]) {
      const marker = s("marker", {
        id: `${id}-arrow-${status}`, viewBox: "0 0 10 10", refX: "9", refY: "5",
        markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse",
      });
      marker.append(s("path", { d: "M0,0 L10,5 L0,10 z", class: `arrow arrow-${status}` }));
      defs.append(marker);
    }
    svg.append(defs);
    for (const lane of g.lanes) svg.append(s("text", { x: lane.x, y: 22, class: "lane" }, lane.title));
    if (!nodes) {
      svg.append(s("text", { x: 20, y: 70, class: "empty" }, "No Service in this YAML: nothing to draw."));
    }
    const edges = s("g", { class: "edges" });
    const labels = s("g", { class: "edge-labels" });
    for (const e of g.edges) {
      const bad = e.status === "error" || e.status === "excluded";
      edges.append(s("path", {
        d: e.path, class: `edge status-${e.status}`, "marker-end": `url(#${id}-arrow-${bad ? "error" : "ok"})`,
      }));
      if (e.label) {
        const text = s("text", { x: e.labelX, y: e.labelY, class: `edge-label status-${e.status}` }, short(e.label));
        if (text.textContent !== e.label) text.append(s("title", {}, e.label));
        labels.append(text);
      }
    }
    svg.append(edges);
    for (const n of g.nodes) {
      const words = [n.label, ...n.details, STATUS_WORDS[n.status]].filter(Boolean);
      if (n.spans.length) {
        const from = Math.min(...n.spans.map((sp) => sp.line));
        const to = Math.max(...n.spans.map((sp) => sp.endLine));
        words.push(from === to ? `YAML line ${from}` : `YAML lines ${from}–${to}`);
      }
      const node = s("g", {
        class: `node kind-${n.kind} status-${n.status}`,
        transform: `translate(${n.x},${n.y})`,
        "data-id": n.id,
      });
      node.append(s("title", {}, `${KIND_WORDS[n.kind] ?? n.kind}: ${words.join("\n")}`));
      node.append(s("rect", { width: n.width, height: n.height, rx: 7, class: "box" }));
      const glyph = STATUS_GLYPHS[n.status];
      const label = s("text", { x: 10, y: 20, class: "label", "data-max": n.width - (glyph ? 34 : 18) });
      label.dataset.full = n.label;
      node.append(label);
      if (glyph) node.append(s("text", { x: n.width - 10, y: 20, class: "glyph", "text-anchor": "end" }, glyph));
      n.details.slice(0, 2).forEach((d, i) => {
        const t = s("text", { x: 10, y: 37 + i * 14, class: "detail", "data-max": n.width - 16 });
        t.dataset.full = short(d);
        node.append(t);
      });
      svg.append(node);
    }
    svg.append(labels);
    return svg;
  }

  /** Shorten node texts that overflow their box (the full text is in the tooltip). */
  #fitTexts() {
    for (const t of this.#diagram.querySelectorAll("text[data-full]")) {
      fit(t, t.dataset.full, Number(t.dataset.max), t.classList.contains("label") ? 7.4 : 6.4);
    }
  }

  #problems(r) {
    const list = r.diagnostics.map((d) => ({
      severity: d.severity, rule: d.rule, message: d.message, line: d.line, column: d.column,
      object: d.object, help: d.help, suppressed: d.suppressed,
    }));
    if (r.iptablesError) {
      list.push({ severity: "error", rule: "kube-proxy", message: `kube-proxy's rules cannot be generated: ${r.iptablesError}` });
    }
    return list;
  }

  #problemsStrip(r) {
    const problems = this.#problems(r).filter((p) => !p.suppressed);
    const strip = h("div", { class: "problems", part: "problems", role: "status" });
    if (!problems.length) {
      strip.classList.add("clean");
      strip.append(h("span", { class: "sev ok" }, "✓"), ` No problems found in ${plural(r.objects.length, "object")}.`);
      return strip;
    }
    const errors = problems.filter((p) => p.severity === "error").length;
    const warnings = problems.length - errors;
    strip.append(h("strong", {}, [errors && plural(errors, "error"), warnings && plural(warnings, "warning")].filter(Boolean).join(", ")));
    const ul = h("ul");
    for (const p of problems.slice(0, 3)) {
      ul.append(h("li", { class: p.severity },
        h("span", { class: `sev ${p.severity}`, title: p.severity }, p.severity === "error" ? "✗" : "⚠"), " ",
        p.line ? h("span", { class: "where" }, `line ${p.line}`) : null, p.line ? " " : null,
        p.message, " ", h("code", { class: "rule" }, p.rule)));
    }
    strip.append(ul);
    if (problems.length > 3) {
      const more = h("button", { type: "button", class: "more" }, `all ${problems.length} problems`);
      more.addEventListener("click", () => { this.tab = "problems"; });
      strip.append(more);
    }
    return strip;
  }

  #renderTabs() {
    if (!this.#tabs || !this.#result) return;
    const current = this.tab;
    this.#tabs.replaceChildren(...TABS.map(([id, title]) => {
      const b = h("button", {
        type: "button", role: "tab", class: "tab", id: `svcflow-${this.#uid}-tab-${id}`,
        "aria-selected": String(id === current), "aria-controls": `svcflow-${this.#uid}-panel`,
        tabindex: id === current ? "0" : "-1", "data-tab": id,
      }, title);
      b.addEventListener("click", () => { this.tab = id; });
      b.addEventListener("keydown", (ev) => {
        const step = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0;
        if (!step) return;
        const i = (TABS.findIndex(([t]) => t === id) + step + TABS.length) % TABS.length;
        this.tab = TABS[i][0];
        this.#tabs.querySelector(`[data-tab="${TABS[i][0]}"]`)?.focus();
      });
      return b;
    }));
    this.#panel.setAttribute("aria-labelledby", `svcflow-${this.#uid}-tab-${current}`);
    this.#panel.dataset.tab = current;
    this.#panel.replaceChildren(...this.#panelContent(current, this.#result));
  }

  #panelContent(tab, r) {
    switch (tab) {
      case "problems": {
        const problems = this.#problems(r);
        if (!problems.length) return [h("p", { class: "none" }, "No problems found.")];
        return [h("ul", { class: "problem-list" }, problems.map((p) => h("li", { class: `${p.severity}${p.suppressed ? " suppressed" : ""}` },
          h("div", {},
            h("span", { class: `sev ${p.severity}` }, p.severity === "error" ? "✗ error" : "⚠ warning"), " ",
            p.line ? h("span", { class: "where" }, `line ${p.line}, column ${p.column}`) : null, " ",
            h("code", { class: "rule" }, p.rule), p.suppressed ? " (suppressed)" : null),
          h("div", { class: "message" }, p.message),
          p.object ? h("div", { class: "object" }, p.object) : null,
          p.help ? h("div", { class: "help" }, p.help) : null)))];
      }
      case "iptables":
        if (r.iptablesError) return [h("p", { class: "failure" }, `No rules: ${r.iptablesError}`)];
        return [h("pre", { class: "code" }, r.iptables ?? "")];
      case "dns":
        if (!r.dns.length) return [h("p", { class: "none" }, "The cluster DNS serves no record for this input.")];
        return [h("table", {},
          h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Type"), h("th", {}, "Answer"))),
          h("tbody", {}, r.dns.map((d) => h("tr", {}, h("td", { class: "mono" }, d.name), h("td", {}, d.type), h("td", { class: "mono" }, d.data)))))];
      case "endpoints":
        if (!r.endpoints.length) return [h("p", { class: "none" }, "No Service port in this input.")];
        return [h("table", {},
          h("thead", {}, h("tr", {}, h("th", {}, "Service"), h("th", {}, "Port"), h("th", {}, "Endpoints"), h("th", {}, "Left out"))),
          h("tbody", {}, r.endpoints.map((p) => h("tr", {},
            h("td", {}, p.service),
            h("td", { class: "mono" }, `${p.portName ? p.portName + " " : ""}${p.port}/${p.protocol} → ${p.targetPort}`),
            h("td", { class: "mono" }, p.endpoints.length
              ? p.endpoints.map((e) => h("div", { class: e.ready ? "" : "excluded" }, `${e.ip}:${e.port}${e.ready ? "" : e.terminating ? " (terminating)" : " (not ready)"}`))
              : h("span", { class: "sev error" }, "none")),
            h("td", {}, p.excluded.map((x) => h("div", {}, h("span", { class: "mono" }, x.pod), `: ${x.detail}`)))))))];
      default:
        if (!r.explain.length) return [h("p", { class: "none" }, "No Service in this input: there is no flow to explain.")];
        return [h("ol", { class: "explain" }, r.explain.map((line) => h("li", {}, line.replace(/^\d+\.\s*/, ""))))];
    }
  }
}

if (!customElements.get("svcflow-view")) customElements.define("svcflow-view", SvcflowView);
