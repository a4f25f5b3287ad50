// End-to-end check of <svcflow-view> in headless Chromium:
//
//   node tests/e2e/embed-check.mjs DIR
//
// DIR holds embed-demo.html and embed/ (with embed/pkg/ from scripts/build-js.sh): dist/ after
// trunk build, or a folder assembled from www/. On the demo page: the first view renders its
// YAML's diagram; the second one, far below the fold, has not rendered (and the engine was
// fetched once) until it is scrolled to; the two show different diagrams and only the broken
// one shows problems. On a test page of its own: src= (same origin; a cross-origin src is
// refused without a request), the yaml property, tabs, theme and height, and that text from the
// YAML never becomes markup. Everywhere: no console error, no page error, no request that leaves
// the origin. Writes target/e2e/embed.png (the demo page) and target/e2e/embed-test.png.
import { launchChromium } from "./browser.mjs";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = resolve(process.argv[2] ?? "dist");
for (const f of ["embed-demo.html", "embed/svcflow-view.js", "embed/pkg/svcflow_js_bg.wasm"]) {
  if (!existsSync(join(dir, f))) {
    console.error(`embed-check: ${join(dir, f)} is missing (scripts/build-js.sh builds embed/pkg/)`);
    process.exit(2);
  }
}

// Serve DIR plus a test page, without writing into DIR: a temp folder of symlinks.
const site = await mkdtemp(join(tmpdir(), "svcflow-embed-"));
for (const entry of await readdir(dir)) await symlink(join(dir, entry), join(site, entry));
if (!existsSync(join(dir, "index.html"))) {
  // the demo's <iframe> shows the app; without a built app, a stand-in page
  await writeFile(join(site, "index.html"), "<!doctype html><title>svcflow app</title><p>(the svcflow app is not built in this folder)</p>");
  console.log("embed-check: note: no index.html in DIR; the demo's iframe shows a stand-in");
}
await mkdir(join(site, "embed-test"));
await copyFile(join(root, "tests/fixtures/engine/frontend-backend.yaml"), join(site, "embed-test/web.yaml"));
await writeFile(join(site, "embed-test/index.html"), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>svcflow-view test</title>
<link rel="icon" href="data:,">
<script type="module" src="../embed/svcflow-view.js"></script>
<style>body { font-family: sans-serif; margin: 16px; } svcflow-view { max-width: 1100px; }</style></head>
<body>
<svcflow-view id="from-src" src="web.yaml" tab="iptables"></svcflow-view>
<svcflow-view id="cross" src="http://example.invalid/web.yaml"></svcflow-view>
<svcflow-view id="plain" theme="dark" height="240px" tab="dns" namespace="data">
  apiVersion: v1
  kind: Service
  metadata:
    name: db
  spec:
    selector: {app: db}
    ports: [{name: pg, port: 5432}]
</svcflow-view>
<svcflow-view id="hostile" tab="explain"><script type="text/yaml">
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: ops}
spec:
  type: ExternalName
  externalName: "<img src=x onerror=window.__pwned=1>.example.com"
</script></svcflow-view>
</body></html>`);

const { server, origin } = await serve(site);
const browser = await launchChromium();
const problems = [];
const check = (ok, what) => { if (!ok) problems.push(what); };
const requests = [];
// engine fetches by <svcflow-view> elements, i.e. from the page itself (the demo's iframe is the
// app, which imports the same package for its iptables tab: its own document, its own fetch)
const pageEngineFetches = [];

async function newPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    const url = r.url();
    requests.push(url);
    if (url.endsWith("/embed/pkg/svcflow_js_bg.wasm") && r.frame() === page.mainFrame()) pageEngineFetches.push(url);
    if (!url.startsWith(origin) && !/^(data|blob|about):/.test(url)) problems.push(`request left the origin: ${url}`);
  });
  return page;
}

/** Wait until the view's state is one of `states`; returns it. */
async function settle(page, id, states = ["ready", "error"]) {
  await page.waitForFunction(([id, states]) => states.includes(document.getElementById(id)?.state), [id, states],
    { timeout: 30000 }).catch(() => {});
  return page.$eval(`#${id}`, (el) => el.state);
}

/** What a view shows: state, SVG texts, problems strip, panel, node labels from the result. */
function view(page, id) {
  return page.$eval(`#${id}`, (el) => {
    const r = el.shadowRoot;
    return {
      state: el.state,
      svgTexts: [...r.querySelectorAll("svg text")].map((t) => t.textContent),
      hasSvg: !!r.querySelector("svg"),
      problems: r.querySelector(".problems")?.textContent ?? null,
      panel: r.querySelector(".panel")?.textContent ?? null,
      panelTab: r.querySelector(".panel")?.dataset.tab ?? null,
      failure: r.querySelector(".failure")?.textContent ?? null,
      labels: (el.result?.graph.nodes ?? []).map((n) => n.label),
      top: el.getBoundingClientRect().top,
    };
  });
}

const wasmRequests = () => pageEngineFetches.length;

try {
  // ---- the demo page ----------------------------------------------------------------------------
  const page = await newPage();
  await page.goto(origin + "/embed-demo.html", { waitUntil: "load" });
  check(await settle(page, "basic") === "ready", "#basic did not render");
  const basic = await view(page, "basic");
  check(basic.svgTexts.some((t) => t.includes("KUBE-SVC-")), `#basic: no SVG text with KUBE-SVC-: ${basic.svgTexts.join(" | ")}`);
  check(basic.labels.includes("shop/web"), `#basic: no shop/web node: ${basic.labels}`);
  check(/No problems/.test(basic.problems), `#basic: problems strip: ${basic.problems}`);
  check(basic.panelTab === "explain" && /web\.shop\.svc\.cluster\.local/.test(basic.panel), `#basic: explain panel: ${basic.panel}`);

  // lazy: the second view is far below the fold and has not rendered
  await page.waitForTimeout(500);
  const before = await view(page, "broken");
  check(before.top > 800 + 600, `#broken is not far below the fold (top ${before.top}px)`);
  check(before.state === "idle" && !before.hasSvg, `#broken rendered before it was scrolled to (state ${before.state})`);
  check(wasmRequests() === 1, `engine fetched ${wasmRequests()} times before scrolling`);

  await page.$eval("#broken", (el) => el.scrollIntoView({ block: "center" }));
  check(await settle(page, "broken") === "ready", "#broken did not render after scrolling");
  const broken = await view(page, "broken");
  const demoFetches = wasmRequests();
  check(demoFetches === 1, `engine fetched ${demoFetches} times: not shared`);
  // independent: different YAML, different diagram; only the broken one has problems
  check(broken.labels.includes("orders/api") && !broken.labels.includes("shop/web"), `#broken labels: ${broken.labels}`);
  const basicAgain = await view(page, "basic");
  check(!basicAgain.labels.includes("orders/api"), `#basic changed: ${basicAgain.labels}`);
  // The linter's findings: the syntax error, and the selector that (without the broken document) matches nothing.
  check(/invalid-yaml/.test(broken.problems) && /selector-matches-nothing/.test(broken.problems) && /2 errors/.test(broken.problems), `#broken problems strip: ${broken.problems}`);
  check(!/invalid-yaml/.test(basicAgain.problems) && /No problems/.test(basicAgain.problems), `#basic shows #broken's problem: ${basicAgain.problems}`);
  check(broken.panelTab === "endpoints" && /selector needs tier=backend/.test(broken.panel), `#broken endpoints panel: ${broken.panel}`);
  check(broken.svgTexts.includes("REJECT"), `#broken: no REJECT node: ${broken.svgTexts.join(" | ")}`);

  // tabs switch one view only
  await page.locator("#broken").getByRole("tab", { name: "iptables" }).click();
  const afterClick = await view(page, "broken");
  check(afterClick.panelTab === "iptables" && /KUBE-SERVICES/.test(afterClick.panel), `#broken iptables tab: ${afterClick.panel?.slice(0, 200)}`);
  check((await page.$eval("#broken", (el) => el.getAttribute("tab"))) === "iptables", "tab attribute not reflected");
  check((await view(page, "basic")).panelTab === "explain", "#basic tab changed with #broken's");
  await page.locator("#broken").getByRole("tab", { name: "Endpoints" }).click();

  // the iframe: same origin, and the embed URL the demo promises
  const frameSrc = await page.$eval("#app-frame", (f) => f.getAttribute("src"));
  check(/^index\.html\?embed=1&tab=iptables#v1\.[A-Za-z0-9_-]+$/.test(frameSrc), `iframe src: ${frameSrc}`);

  // everything rendered, then the whole page
  await page.$eval("#app-frame", (el) => el.scrollIntoView());
  await page.waitForTimeout(1500);
  await page.$eval("#basic", (el) => el.scrollIntoView({ block: "start" }));
  await mkdir(join(root, "target/e2e"), { recursive: true });
  await page.screenshot({ path: join(root, "target/e2e/embed.png"), fullPage: true });

  // ---- the test page ----------------------------------------------------------------------------
  const t = await newPage();
  await t.goto(origin + "/embed-test/index.html", { waitUntil: "load" });
  for (const id of ["from-src", "cross", "plain", "hostile"]) {
    await t.$eval(`#${id}`, (el) => el.scrollIntoView());
    await settle(t, id);
  }
  const fromSrc = await view(t, "from-src");
  check(fromSrc.state === "ready" && fromSrc.labels.includes("shop/web"), `src=: ${fromSrc.state} ${fromSrc.labels}`);
  check(fromSrc.panelTab === "iptables" && /KUBE-SVC-/.test(fromSrc.panel), "src=: iptables panel");
  const cross = await view(t, "cross");
  check(cross.state === "error" && /refusing to load/.test(cross.failure ?? ""), `cross-origin src not refused: ${cross.state} ${cross.failure}`);
  check(!requests.some((u) => u.includes("example.invalid")), "cross-origin src was requested");
  const plain = await view(t, "plain");
  check(plain.state === "ready" && plain.labels.includes("data/db"), `text content + namespace attribute: ${plain.labels}`);
  check(/db\.data\.svc\.cluster\.local/.test(plain.panel) && plain.panelTab === "dns", `dns panel: ${plain.panel}`);
  const style = await t.$eval("#plain", (el) => {
    const d = el.shadowRoot.querySelector(".diagram");
    return { height: d.getBoundingClientRect().height, bg: getComputedStyle(el.shadowRoot.querySelector(".frame")).backgroundColor };
  });
  check(Math.round(style.height) === 240, `height="240px" gave ${style.height}px`);
  check(style.bg === "rgb(13, 17, 23)", `theme="dark" background is ${style.bg}`);
  const hostile = await t.$eval("#hostile", (el) => ({
    imgs: el.shadowRoot.querySelectorAll("img").length,
    text: el.shadowRoot.textContent,
    pwned: window.__pwned === 1,
  }));
  check(hostile.imgs === 0 && !hostile.pwned && hostile.text.includes("<img src=x"), "YAML text became markup");
  // the yaml property re-renders that view only
  await t.$eval("#plain", (el) => { el.yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: cache, namespace: data}\nspec: {ports: [{port: 6379}]}\n"; });
  await t.waitForFunction(() => document.getElementById("plain").result?.graph.nodes.some((n) => n.label === "data/cache"), null, { timeout: 10000 }).catch(() => {});
  check((await view(t, "plain")).labels.includes("data/cache"), "yaml property did not re-render");
  check((await view(t, "from-src")).labels.includes("shop/web"), "yaml property changed another view");
  await t.$eval("#from-src", (el) => el.scrollIntoView());
  await t.screenshot({ path: join(root, "target/e2e/embed-test.png"), fullPage: true });

  console.log(`embed-check: demo page: #basic ${basic.labels.length} nodes, #broken ${broken.labels.length} nodes ` +
    `(rendered when scrolled to), engine fetched ${demoFetches}x; test page ok; ${requests.length} requests, all same-origin`);
  console.log("embed-check: screenshots target/e2e/embed.png, target/e2e/embed-test.png");
} finally {
  await browser.close();
  server.close();
  await rm(site, { recursive: true, force: true });
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
