// End-to-end check of the built site: load dist/ in headless Chromium, wait for the app to render
// the default example (the diagram with kube-proxy's chain names, without any click), then
// exercise the editor → problems → selection link, the share link, and the layouts. Fails on any
// console error, page error, or request that leaves the origin.
// Writes target/e2e/app.png (1400×900), app-wide.png, app-narrow.png, app-dark.png (look at them).
import { chromium } from "playwright-core";
import { mkdir } from "node:fs/promises";
import { serve } from "./serve.mjs";

const dist = process.argv[2] ?? "dist";
const { server, origin } = await serve(dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const problems = [];
const check = (ok, what) => { if (!ok) problems.push(what); };

async function open(context, path = "/") {
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
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
  await page.close();

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
