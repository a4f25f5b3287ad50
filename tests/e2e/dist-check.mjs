// End-to-end check of the built site: load dist/ in headless Chromium, wait for the app to render
// the default example, fail on any console error, page error, or request that leaves the origin.
// Writes target/e2e/app.png (look at it).
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
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) problems.push(`request left the page: ${r.url()}`); });
  await page.goto(origin + "/", { waitUntil: "load" });
  await page.waitForSelector(".object", { timeout: 20000 });
  const objects = await page.$$eval(".object", (els) => els.map((e) => e.textContent));
  if (!objects.some((t) => t.includes("Service/shop/web"))) problems.push(`default example not rendered: ${JSON.stringify(objects)}`);
  await mkdir("target/e2e", { recursive: true });
  await page.screenshot({ path: "target/e2e/app.png" });
  console.log(`e2e: ${objects.length} objects rendered; screenshot target/e2e/app.png`);
} finally {
  await browser.close();
  server.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
