// The iframe view mode of the built app: `index.html?embed=1` hides the editor, shows the
// diagram and the chosen inspector tab, takes YAML from the host by postMessage, and posts its
// content height to the parent. Usage: node tests/e2e/iframe-check.mjs dist
import { launchChromium } from "./browser.mjs";
import { writeFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { serve } from "./serve.mjs";

const dist = process.argv[2] ?? "dist";
const host = join(dist, "__iframe-host.html");
await writeFile(host, `<!doctype html><meta charset="utf-8"><title>host</title><link rel="icon" href="data:,">
<iframe id="f" src="index.html?embed=1&tab=dns&theme=dark" style="width:1000px;height:600px;border:0"></iframe>
<script>window.heights=[];addEventListener("message",e=>{if(e.data&&e.data.type==="svcflow:height")heights.push(e.data.height)});</script>`);
const { server, origin } = await serve(dist);
const browser = await launchChromium();
const problems = [];
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  await page.goto(origin + "/__iframe-host.html");
  const frame = page.frames().find((f) => f.url().includes("embed=1")) ?? (await (await page.$("#f")).contentFrame());
  await frame.waitForSelector("svg text", { timeout: 20000 });
  const editorVisible = await frame.$eval("textarea", (t) => t.offsetParent !== null).catch(() => false);
  if (editorVisible) problems.push("the editor is visible in view mode");
  const theme = await frame.$eval("html", (h) => h.getAttribute("data-theme"));
  if (theme !== "dark") problems.push(`theme=dark not applied (data-theme=${theme})`);
  await page.waitForFunction(() => window.heights.length > 0, null, { timeout: 10000 }).catch(() => {});
  const heights = await page.evaluate(() => window.heights);
  if (!heights.length || !(heights[heights.length - 1] > 100)) problems.push(`no height posted: ${JSON.stringify(heights)}`);
  // The host sends YAML: the diagram follows.
  await page.evaluate(() => document.getElementById("f").contentWindow.postMessage({ type: "svcflow:yaml",
    yaml: "apiVersion: v1\nkind: Service\nmetadata: {name: from-host, namespace: docs}\nspec:\n  ports: [{port: 80}]\n" }, "*"));
  await frame.waitForFunction(() => [...document.querySelectorAll("svg text")].some((t) => t.textContent.includes("docs/from-host")), null, { timeout: 10000 })
    .catch(() => problems.push("YAML sent by postMessage was not shown"));
  console.log(`iframe: view mode ok, heights posted: ${heights.slice(-3).join(", ")}`);
} finally {
  await browser.close();
  server.close();
  await rm(host, { force: true });
}
if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
