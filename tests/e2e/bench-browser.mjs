// Browser benchmark (not a test: it prints numbers, it asserts nothing about speed).
// `node tests/e2e/bench-browser.mjs DIST [SIZES...]` loads the built app in headless Chromium and
// measures, with the user-timing marks the app sets around each analysis
// (crates/svcflow-web/src/infra/timing.rs):
//   - first load: navigation start → default example's diagram in the DOM;
//   - paste: the whole generated file (scripts/manifests.mjs, SIZES objects) put into the editor
//     at once, after the page has warmed its engine up (engine::warm_up), → diagram in the DOM
//     (includes the 150 ms debounce), and the engine's part of it, by stage;
//   - keystroke (sizes up to 2,000): one real key typed at the end of that text → diagram of the
//     new text in the DOM; reported with the debounce taken out (analysis + render), and whole.
// Medians over RUNS keystrokes (default 7). Prints a Markdown table; BENCHMARKS.md keeps them.
import { launchChromium } from "./browser.mjs";
import { cpus, loadavg } from "node:os";
import { serve } from "./serve.mjs";
import { generate } from "../../scripts/manifests.mjs";

const [dist = "dist", ...rest] = process.argv.slice(2);
const sizes = rest.length ? rest.map(Number) : [200, 2000, 50000];
const runs = Number(process.env.RUNS ?? 7);
const DEBOUNCE_MS = 150; // crates/svcflow-web/src/app.rs
const { server, origin } = await serve(dist);
const browser = await launchChromium();

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

// The marks of the latest analysis, once its diagram is in the DOM after `since`.
async function waitRendered(page, since, timeout) {
  await page.waitForFunction((since) => {
    const r = performance.getEntriesByName("svcflow:rendered");
    return r.length && r[r.length - 1].startTime > since;
  }, since, { timeout, polling: 5 });
  return page.evaluate(() => {
    const t = (n) => performance.getEntriesByName(n).at(-1).startTime;
    // the ends of View::new's stages (infra/timing.rs LOADED … LINTED), in order
    const stages = ["load", "resolve", "diagram", "lint"].map((s) => [s, t(`svcflow:stage:${s}`)]);
    return { analyse: t("svcflow:analyse"), analysed: t("svcflow:analysed"), rendered: t("svcflow:rendered"), stages,
             objects: document.querySelector(".count-objects")?.textContent ?? "" };
  });
}

const rows = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await page.goto(origin + "/", { waitUntil: "load" });
  await page.waitForSelector("svg.flow-svg .node.kind-chain", { timeout: 60000 });
  const first = await waitRendered(page, -1, 60000);
  rows.push(["first load (default example)", "-", "navigation → diagram in the DOM", ms(first.rendered), "1", load()]);
  // Like a user, who takes a few seconds to paste: after the engine's warm-up (app.rs, a second
  // after start) and two seconds for the browser to optimise its code.
  await page.waitForFunction(() => performance.getEntriesByName("svcflow:warmed").length > 0, null, { timeout: 60000 });
  await page.waitForTimeout(2000);
  // A keydown listener notes when each key was pressed (the page's clock).
  await page.evaluate(() => document.addEventListener("keydown", () => { window.__keydown = performance.now(); }, true));

  for (const n of sizes) {
    const text = generate(n) + "# keystrokes go here: ";
    const since = await page.evaluate((text) => {
      const t = document.querySelector("#svcflow-editor");
      const at = performance.now();
      t.value = text;
      t.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
      return at;
    }, text);
    const pasted = await waitRendered(page, since, 30 * 60 * 1000);
    const kb = `${(text.length / 1e6).toFixed(2)} MB`;
    rows.push([`paste → diagram`, `${n} (${kb})`, "input event → diagram in the DOM (incl. debounce)", ms(pasted.rendered - since), "1", load()]);
    rows.push([`paste: engine`, `${n}`, "analyse → analysed (parse, resolve, lint, layout)", ms(pasted.analysed - pasted.analyse), "1", load()]);
    let from = pasted.analyse;
    const parts = pasted.stages.map(([name, end]) => { const part = `${name} ${ms(end - from)}`; from = end; return part; });
    rows.push([`paste: engine stages`, `${n}`, parts.join(" · "), "-", "1", load()]);
    rows.push([`paste: render`, `${n}`, "analysed → diagram in the DOM", ms(pasted.rendered - pasted.analysed), "1", load()]);
    if (n > 2000) continue;

    await page.focus("#svcflow-editor");
    await page.evaluate(() => { const t = document.querySelector("#svcflow-editor"); t.selectionStart = t.selectionEnd = t.value.length; });
    const total = [], work = [], engine = [], key = [];
    for (let i = 0; i < runs; i++) {
      const before = await page.evaluate(() => performance.now());
      await page.keyboard.type(String.fromCharCode(97 + (i % 26)));
      const m = await waitRendered(page, before, 10 * 60 * 1000);
      const down = await page.evaluate(() => window.__keydown);
      total.push(m.rendered - down);
      work.push(m.rendered - m.analyse);
      engine.push(m.analysed - m.analyse);
      key.push(m.analyse - down - DEBOUNCE_MS);
    }
    rows.push([`keystroke → diagram`, `${n}`, "analysis start → diagram in the DOM (debounce taken out)", ms(median(work)), `${runs}`, load()]);
    rows.push([`keystroke: engine`, `${n}`, "analyse → analysed", ms(median(engine)), `${runs}`, load()]);
    rows.push([`keystroke, whole`, `${n}`, "keydown → diagram in the DOM (incl. 150 ms debounce)", ms(median(total)), `${runs}`, load()]);
    rows.push([`keystroke: timer lateness`, `${n}`, "keydown + 150 ms → analysis start (keystroke handling, timer)", ms(median(key)), `${runs}`, load()]);
  }
} finally {
  await browser.close();
  server.close();
}

const version = (await import("node:child_process")).execSync("/usr/bin/chromium --version").toString().trim();
console.log(`\nBrowser: ${version}, headless; ${cpus().length} × ${cpus()[0].model}; load avg at start of each row shown.\n`);
console.log("| what | objects | measured | median | runs | load avg |");
console.log("|---|---:|---|---:|---:|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
