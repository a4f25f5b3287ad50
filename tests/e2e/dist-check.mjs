// End-to-end check of the built site: load dist/ in headless Chromium, wait for the app to render
// the default example (the diagram with kube-proxy's chain names, without any click), then
// exercise the editor → problems → selection link, the share link, and the layouts. Fails on any
// console error, page error, or request that leaves the origin.
// Writes target/e2e/app.png (1400×900), app-wide.png, app-narrow.png, app-dark.png and the
// exported files target/e2e/export-* (look at them).
import { launchChromium } from "./browser.mjs";
import { mkdir, readFile } from "node:fs/promises";
import { serve } from "./serve.mjs";

const dist = process.argv[2] ?? "dist";
const { server, origin } = await serve(dist);
const browser = await launchChromium();
const problems = [];
const check = (ok, what) => { if (!ok) problems.push(what); };

// Set while the check below raises a trap on purpose (the banner logs it as a console error).
let expectedTrap = false;
// Engine package fetches (embed/pkg/): the app imports it only when kube-proxy's rules are asked for,
// or a YAML document needs the general parser.
const enginePackage = [];

async function open(context, path = "/") {
  const page = await context.newPage();
  page.on("request", (r) => { if (r.url().includes("/embed/pkg/")) enginePackage.push(r.url()); });
  page.on("console", (m) => { if (m.type() === "error" && !expectedTrap) problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) problems.push(`request left the page: ${r.url()}`); });
  await page.goto(origin + path, { waitUntil: "load" });
  await page.waitForSelector("svg.flow-svg .node.kind-chain", { timeout: 20000 });
  return page;
}

try {
  await mkdir("target/e2e", { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: "light" });
  const page = await open(context);
  const objects = await page.$$eval(".object", (els) => els.map((e) => e.textContent));
  check(objects.some((t) => t.includes("Service/shop/web")), `default example not rendered: ${JSON.stringify(objects)}`);
  const labels = await page.$$eval("svg.flow-svg .node .label", (els) => els.map((e) => e.textContent));
  check(labels.some((t) => t.startsWith("KUBE-SVC-")), `no KUBE-SVC chain on load: ${JSON.stringify(labels)}`);
  check(labels.some((t) => t.startsWith("KUBE-SEP-")), `no KUBE-SEP chain on load: ${JSON.stringify(labels)}`);
  // The chain names are on screen (inside the diagram's box), not only in the DOM.
  const visible = await page.$eval("svg.flow-svg .node.kind-chain", (n) => {
    const r = n.getBoundingClientRect(), b = n.closest(".flow-box").getBoundingClientRect();
    return r.width > 0 && r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
  });
  check(visible, "the KUBE-SVC node is not inside the visible diagram");
  await page.screenshot({ path: "target/e2e/app.png" });
  check(enginePackage.length === 0, `the first load fetched the engine package: ${enginePackage}`);

  // YAML beyond the fast path (an anchor and alias, flow mappings, a block scalar, a syntax error):
  // the app loads the general parser from the engine package, then reads those documents too.
  const editorBox = page.locator("#svcflow-editor");
  const defaultText = await editorBox.inputValue();
  await editorBox.fill(defaultText + [
    "---", "apiVersion: v1", "kind: Service", "metadata:", "  name: anchored", "  namespace: shop",
    "  labels: &labels {app: anchored}", "spec:", "  selector: *labels", "  ports:", "    - port: 80", "      targetPort: 8080",
    "---", "apiVersion: v1", "kind: Pod", "metadata:", "  name: anchored-pod", "  namespace: shop", "  labels: {app: anchored}",
    "  annotations:", "    note: |", "      two", "      lines", "spec:", "  containers:", "    - name: c", "      image: nginx",
    "      ports: [{containerPort: 8080}]", "---", "kind: Service", "metadata: [unclosed", "",
  ].join("\n"));
  await page.waitForFunction(() => {
    const objects = [...document.querySelectorAll(".object")].map((e) => e.textContent);
    return objects.some((t) => t.includes("Service/shop/anchored")) && objects.some((t) => t.includes("Pod/shop/anchored-pod"));
  }, null, { timeout: 20000 }).catch(() => check(false, "documents beyond the fast path were not read after loading the general parser"));
  check(enginePackage.some((u) => u.endsWith("/embed/pkg/svcflow_js_bg.wasm")), "the general YAML parser was not loaded from the engine package");
  const yamlProblems = await page.$$eval(".problem-main", (els) => els.map((e) => e.textContent));
  check(!yamlProblems.some((t) => t.includes("loading the full YAML parser")), `a document still waits for the parser: ${JSON.stringify(yamlProblems)}`);
  check(yamlProblems.some((t) => t.includes("invalid-yaml") && /unclosed bracket/.test(t)), `no syntax error from the general parser: ${JSON.stringify(yamlProblems)}`);
  await editorBox.fill(defaultText);
  await page.waitForFunction(() => ![...document.querySelectorAll(".object")].some((e) => e.textContent.includes("anchored")), null, { timeout: 5000 });

  // The engine package cannot be loaded (offline): such a document is an error that says so.
  {
    const offline = await context.newPage();
    // slow, then failing: the document waits (said in the Problems tab), then is an error
    await offline.route("**/embed/pkg/**", async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.abort(); });
    offline.on("pageerror", (e) => problems.push(`page error (offline package): ${e.message}`));
    await offline.goto(origin + "/", { waitUntil: "load" });
    await offline.waitForSelector("svg.flow-svg .node.kind-chain", { timeout: 20000 });
    await offline.locator("#svcflow-editor").fill("kind: Service\nmetadata: {name: flow-style}\n");
    await offline.waitForFunction(() => document.querySelector(".waiting")?.textContent.includes("Reading 1 more document"), null, { timeout: 5000 })
      .catch(() => check(false, "a document waiting for the YAML parser is not said to be waiting"));
    await offline.waitForFunction(() => [...document.querySelectorAll(".problem-main")].some((e) => e.textContent.includes("could not be loaded")), null, { timeout: 20000 })
      .catch(() => check(false, "no problem says the YAML parser could not be loaded"));
    check((await offline.locator("#svcflow-editor").inputValue()).includes("flow-style"), "offline package: the editor lost its text");
    await offline.close();
  }

  // The iptables tab: the rules come from the engine package, imported now, with provenance.
  await page.click("#tab-iptables");
  await page.waitForFunction(() => document.querySelector(".tab-panel")?.textContent.includes("-j KUBE-SEP-"), null, { timeout: 20000 });
  check(/-j KUBE-SEP-/.test(await page.$eval(".tab-panel", (p) => p.textContent)), "the iptables tab shows no rules");
  const title = await page.$eval(".rules li[title]", (li) => li.getAttribute("title"));
  check(/^from input\.yaml:\d+/.test(title), `rule provenance: ${title}`);
  await page.click(".segmented button:has-text('IPVS')");
  await page.waitForFunction(() => /IP Virtual Server/.test(document.querySelector(".tab-panel")?.textContent ?? ""), null, { timeout: 20000 });
  await page.click(".segmented button:has-text('iptables')");
  await page.click("#tab-problems");

  // Type broken YAML: a problem shows up (after the debounce); clicking it selects its range.
  const editor = page.locator("#svcflow-editor");
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\n---\nkind: Service\nmetadata: [oops\n");
  await page.waitForSelector(".problem-main", { timeout: 5000 });
  await page.click(".problem-main");
  const sel = await page.$eval("#svcflow-editor", (t) => [t.selectionStart, t.selectionEnd, document.activeElement === t]);
  check(sel[2] && sel[0] <= sel[1] && sel[0] > 0, `problem click did not select in the editor: ${sel}`);
  check(await page.evaluate(() => localStorage.getItem("svcflow.input.v1")?.includes("[oops")), "text not kept in localStorage");

  // Reload: the text comes back from localStorage.
  await page.reload({ waitUntil: "load" });
  await page.waitForSelector(".problem-main", { timeout: 20000 });
  check((await editor.inputValue()).includes("[oops"), "text lost on reload");

  // Share: the link carries the text, and wins over localStorage in a fresh tab.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  await page.click("button.share");
  await page.waitForFunction(() => location.hash.startsWith("#v1."));
  const link = await page.evaluate(() => location.href);
  await page.evaluate(() => localStorage.setItem("svcflow.input.v1", "kind: Pod\nmetadata:\n  name: stored\n"));
  const shared = await context.newPage();
  await shared.goto(link, { waitUntil: "load" });
  await shared.waitForSelector("#svcflow-editor");
  check((await shared.locator("#svcflow-editor").inputValue()).includes("[oops"), "share link did not win over localStorage");
  await shared.close();

  // Exports: every item of the menu downloads a non-empty file of the right kind.
  const exports = [["Diagram as SVG", "svcflow-flow.svg", "<?xml"], ["Diagram as PNG", "svcflow-flow.png", "\x89PNG"],
                   ["Mermaid", "svcflow-flow.mmd", "flowchart LR"], ["kube-proxy rules", "kube-proxy-iptables.txt", "*filter"],
                   ["Markdown report", "svcflow-report.md", "# svcflow report"]];
  for (const [label, file, magic] of exports) {
    await page.click(".menu summary");
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 10000 }),
                                          page.click(`.menu-items button:has-text("${label}")`)]);
    const body = await readFile(await download.path());
    await download.saveAs(`target/e2e/export-${file}`);
    check(download.suggestedFilename() === file, `export ${label}: file name ${download.suggestedFilename()}`);
    check(body.length > 100 && body.toString("latin1").startsWith(magic), `export ${label}: ${body.length} bytes, starts ${JSON.stringify(body.toString("latin1", 0, 12))}`);
  }

  // A large input (about 100 KB, 188 Services): analysed quickly, only the visible part of the
  // diagram in the DOM, yet the SVG export has every node.
  let big = "", n = 0;
  while (big.length < 100000) {
    big += `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${n}\n  namespace: ns-${n % 5}\nspec:\n  selector:\n    app: app-${n}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${n}\n  namespace: ns-${n % 5}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-${n}\n  template:\n    metadata:\n      labels:\n        app: app-${n}\n    spec:\n      containers:\n        - name: c\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 8080\n`;
    n++;
  }
  const t0 = Date.now();
  await page.evaluate((t) => { const a = document.querySelector("#svcflow-editor"); a.value = t; a.dispatchEvent(new InputEvent("input", { bubbles: true })); }, big);
  await page.waitForFunction((n) => document.querySelector(".count-objects")?.textContent === `${2 * n} objects`, n, { timeout: 20000 });
  const took = Date.now() - t0;
  check(took < 5000, `a 100 KB input took ${took} ms to analyse and draw`);
  const inDom = await page.$$eval("svg.flow-svg .node", (els) => els.length);
  check(inDom < 400, `${inDom} nodes in the DOM for a large graph (should be windowed)`);
  await page.click(".menu summary");
  const [bigSvg] = await Promise.all([page.waitForEvent("download", { timeout: 20000 }),
                                      page.click('.menu-items button:has-text("Diagram as SVG")')]);
  const exported = ((await readFile(await bigSvg.path())).toString().match(/class="node /g) ?? []).length;
  check(exported >= 7 * n, `SVG export of the large graph has ${exported} nodes (want ${7 * n})`);
  console.log(`e2e: 100 KB input analysed and drawn in ${took} ms; ${inDom} nodes in the DOM, ${exported} in the export`);
  await page.close();

  // The release build aborts on a panic (-Cpanic=immediate-abort): a wasm trap reaching the page.
  // The page's handler shows the banner, as text, and keeps the editor's text in localStorage.
  {
    const p = await open(context);
    await p.locator("#svcflow-editor").fill("kind: Service\nmetadata:\n  name: kept-after-a-trap\n");
    expectedTrap = true;
    await p.evaluate(() => window.dispatchEvent(new ErrorEvent("error", { error: new WebAssembly.RuntimeError("unreachable <b>x</b>") })));
    const banner = await p.waitForSelector("#svcflow-panic[role=alert]", { timeout: 5000 });
    const text = await banner.textContent();
    check(text.includes("internal error") && text.includes("unreachable <b>x</b>"), `trap banner: ${text}`);
    check(await p.evaluate(() => localStorage.getItem("svcflow.input.v1")?.includes("kept-after-a-trap")), "trap: text not kept");
    check((await p.locator("#svcflow-editor").inputValue()).includes("kept-after-a-trap"), "trap: the editor lost its text");
    expectedTrap = false;
    await p.close();
  }

  // Layouts and themes.
  for (const [name, viewport, scheme] of [["app-wide", { width: 1760, height: 960 }, "light"],
                                          ["app-narrow", { width: 760, height: 900 }, "light"],
                                          ["app-dark", { width: 1400, height: 900 }, "dark"]]) {
    const ctx = await browser.newContext({ viewport, colorScheme: scheme });
    const p = await open(ctx);
    await p.screenshot({ path: `target/e2e/${name}.png` });
    await ctx.close();
  }
  await context.close();
  console.log(`e2e: ${objects.length} objects, ${labels.length} nodes rendered; screenshots in target/e2e/`);
} finally {
  await browser.close();
  server.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
