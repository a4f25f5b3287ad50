// Browser security of the built app: hostile names in the YAML (script tags, event-handler
// attributes, SVG payloads) are rendered as text and never execute; the page carries a
// Content-Security-Policy; no request leaves the page after load. Usage: node security-check.mjs dist
import { launchChromium } from "./browser.mjs";
import { serve } from "./serve.mjs";

const dist = process.argv[2] ?? "dist";
const { server, origin } = await serve(dist);
const browser = await launchChromium();
const hostile = `apiVersion: v1
kind: Service
metadata:
  name: "<script>window.__pwned='script'</script>"
  namespace: "<img src=x onerror=\\"window.__pwned='img'\\">"
  labels: {"<svg onload=window.__pwned='svg'>": "x"}
spec:
  selector: {app: "<svg><script>window.__pwned='svg-script'</script></svg>"}
  ports:
    - name: "\\"><iframe src=javascript:window.__pwned='iframe'>"
      port: 80
      targetPort: "<b onmouseover=window.__pwned='hover'>x</b>"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: "<style>*{display:none}</style>", namespace: "<img src=x onerror=\\"window.__pwned='img'\\">"}
spec:
  selector: {matchLabels: {app: "<svg><script>window.__pwned='svg-script'</script></svg>"}}
  template:
    metadata: {labels: {app: "<svg><script>window.__pwned='svg-script'</script></svg>"}}
    spec: {containers: [{name: "javascript:alert(1)", ports: [{containerPort: 80}]}]}
`;
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  page.on("dialog", (d) => { problems.push(`a dialog opened: ${d.message()}`); d.dismiss(); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error" && !/Failed to load resource: .*404/.test(m.text())) problems.push(`console error: ${m.text()}`); });
  const outside = [];
  page.on("request", (r) => { if (!r.url().startsWith(origin) && !/^(data|blob):/.test(r.url())) outside.push(r.url()); });
  await page.goto(origin + "/", { waitUntil: "load" });
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content).catch(() => null);
  if (!csp || !csp.includes("default-src 'self'") || !csp.includes("'wasm-unsafe-eval'")) problems.push(`no or weak CSP: ${csp}`);
  await page.waitForSelector("textarea");
  await page.fill("textarea", hostile);
  await page.waitForTimeout(1500);
  // Visit every tab and hover every node, so every view renders the names.
  for (const tab of await page.$$('[role="tab"]')) { await tab.click().catch(() => {}); await page.waitForTimeout(150); }
  for (const n of (await page.$$("svg [role=button], svg g[tabindex]")).slice(0, 30)) { await n.hover().catch(() => {}); }
  await page.waitForTimeout(500);
  const pwned = await page.evaluate(() => window.__pwned);
  if (pwned !== undefined) problems.push(`hostile markup executed: ${pwned}`);
  const injected = await page.evaluate(() => document.querySelectorAll("body iframe, body img[src=x], svg script, body b[onmouseover]").length);
  if (injected) problems.push(`${injected} element(s) injected from the YAML`);
  const shown = await page.evaluate(() => document.body.innerText.includes("<script>window.__pwned"));
  if (!shown) problems.push("the hostile name is not shown as text");
  if (outside.length) problems.push(`requests left the page: ${outside.join(", ")}`);
  console.log("security: hostile names rendered as text, nothing executed, CSP present, no outside request");
} finally {
  await browser.close();
  server.close();
}
if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
