import { launchChromium } from "./browser.mjs";
import { serve } from "./serve.mjs";
import { generate } from "../../scripts/manifests.mjs";
const { server, origin } = await serve(process.argv[2]);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await page.goto(origin + "/", { waitUntil: "load" });
  await page.waitForSelector("svg.flow-svg .node.kind-chain", { timeout: 60000 });
  const text = generate(Number(process.argv[3] || 50000));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await page.evaluate(() => { performance.clearMarks(); });
  await cdp.send("Profiler.start");
  await page.evaluate((text) => { const t = document.querySelector("#svcflow-editor"); t.value = text; t.dispatchEvent(new InputEvent("input", { bubbles: true })); }, text);
  await page.waitForFunction(() => performance.getEntriesByName("svcflow:analysed").length > 0, null, { timeout: 120000, polling: 200 });
  const { profile } = await cdp.send("Profiler.stop");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas; let total = 0;
  profile.samples.forEach((id, i) => { const n = byId.get(id); const k = n.callFrame.functionName || n.callFrame.url.split("/").pop() || "(anon)"; self.set(k, (self.get(k) || 0) + dt[i]); total += dt[i]; });
  [...self.entries()].filter(([k]) => k !== "(idle)").sort((a, b) => b[1] - a[1]).slice(0, 50).forEach(([k, v]) => console.log((v / 1000).toFixed(1), k.slice(0, 170)));
} finally { await browser.close(); server.close(); }
