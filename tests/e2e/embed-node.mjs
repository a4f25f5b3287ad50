// Smoke test of the engine's JS package, Node build (target/pkg-node, made by scripts/build-js.sh):
// analyze a fixture, check the result's shape, and check that the package and the CLI agree on
// the objects (`svcflow objects`) and the diagnostics (`svcflow lint --format json` once that
// command exists; until then the diagnostics `svcflow objects` prints on stderr).
//
//   node tests/e2e/embed-node.mjs [FIXTURE.yaml...]
//   SVCFLOW_PKG_NODE=dir  the package (default target/pkg-node)
//   SVCFLOW_CLI=path      a built svcflow binary (default: cargo run -q -p svcflow-cli --)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = resolve(process.env.SVCFLOW_PKG_NODE ?? join(root, "target/pkg-node"));
const require = createRequire(import.meta.url);
const svcflow = require(join(pkg, "svcflow_js.js"));
const fixtures = join(root, "tests/fixtures/engine");
const main = join(fixtures, "frontend-backend.yaml");
const files = process.argv.length > 2
  ? process.argv.slice(2).map((f) => resolve(f))
  : readdirSync(fixtures).filter((f) => f.endsWith(".yaml")).sort().map((f) => join(fixtures, f));

function cli(args) {
  const [cmd, pre] = process.env.SVCFLOW_CLI
    ? [process.env.SVCFLOW_CLI, []]
    : ["cargo", ["run", "-q", "-p", "svcflow-cli", "--"]];
  const r = spawnSync(cmd, [...pre, ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return r;
}

// ---- the result of one fixture, in detail -------------------------------------------------------
const yaml = readFileSync(main, "utf8");
const r = svcflow.analyze(yaml);
assert.deepEqual(Object.keys(r).sort(),
  ["diagnostics", "dns", "endpoints", "explain", "graph", "iptables", "iptablesError", "mermaid", "objects"]);
assert.deepEqual(r.objects, [
  { kind: "Service", namespace: "shop", name: "web", line: 2 },
  { kind: "Deployment", namespace: "shop", name: "web", line: 15 },
]);
assert.deepEqual(r.diagnostics, []);
assert.match(r.iptables, /^-A KUBE-SERVICES .* -j KUBE-SVC-/m);
assert.equal(r.iptablesError, null);
const labels = r.graph.nodes.map((n) => n.label);
assert.ok(labels.includes("shop/web") && labels.includes("web.shop.svc.cluster.local"), labels.join(", "));
assert.ok(labels.some((l) => l.startsWith("KUBE-SVC-")), labels.join(", "));
assert.equal(labels.filter((l) => l.startsWith("KUBE-SEP-")).length, 3);
const ids = new Set(r.graph.nodes.map((n) => n.id));
assert.equal(ids.size, r.graph.nodes.length, "node ids are unique");
for (const n of r.graph.nodes) {
  assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= r.graph.width && n.y + n.height <= r.graph.height, n.id);
  for (const s of n.spans) assert.ok(s.line >= 1 && s.column >= 1 && s.endLine >= s.line, n.id);
}
for (const e of r.graph.edges) {
  assert.ok(ids.has(e.from) && ids.has(e.to), `${e.from} -> ${e.to}`);
  assert.match(e.path, /^M[\d.]+,[\d.]+ C/);
}
assert.deepEqual(r.graph.lanes.map((l) => l.title)[1], "Service");
assert.equal(r.endpoints.length, 1);
assert.deepEqual(r.endpoints[0].endpoints.map((e) => [e.port, e.ready]), [[8080, true], [8080, true], [8080, true]]);
assert.ok(r.dns.some((d) => d.name === "web.shop.svc.cluster.local" && d.type === "A"));
assert.ok(r.dns.some((d) => d.name === "_http._tcp.web.shop.svc.cluster.local" && d.type === "SRV"));
assert.match(r.mermaid, /^flowchart LR/);
assert.match(r.explain[0], /^1\. A client that looks up web\.shop\.svc\.cluster\.local/);

// options, errors, the other functions
assert.equal(svcflow.analyze(yaml, { nodeName: "worker-7" }).iptables.includes("KUBE-SVC-"), true);
assert.equal(svcflow.analyze(yaml, null).objects.length, 2);
assert.throws(() => svcflow.analyze(yaml, { ipFamily: "ipv5" }), /ipFamily/);
assert.throws(() => svcflow.analyze(yaml, { namspace: "x" }), /namspace/);
const v6 = svcflow.analyze("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {clusterIP: 10.0.0.1, ports: [{port: 80}]}\n", { ipFamily: "ipv6" });
assert.ok(v6.iptables !== null || v6.iptablesError !== null);
const dns = svcflow.resolveDns(yaml, "web", "shop");
assert.deepEqual(dns.answers.map((a) => a.type), ["A"]);
assert.equal(dns.nxdomain, false);
assert.equal(svcflow.resolveDns(yaml, "web").nxdomain, true); // from "default": not found
assert.equal(svcflow.resolveDns(yaml, "example.com", "shop").upstream, true);
assert.match(svcflow.version(), /^\d+\.\d+\.\d+/);

// kubeProxy: the rules the browser app's iptables tab imports this package for
const kp = svcflow.kubeProxy(yaml);
assert.equal(kp.mode, "iptables");
assert.equal(kp.text, r.iptables);
assert.equal(kp.error, null);
const ruleLines = kp.text.split("\n").filter((l) => l.startsWith("-A "));
assert.deepEqual(kp.rules.map((x) => x.text), ruleLines, "rules are the text's -A lines, in order");
assert.ok(kp.chains.some((c) => c.kind === "sep" && c.table === "nat" && c.name.startsWith("KUBE-SEP-")));
const sep = kp.rules.find((x) => x.chain.startsWith("KUBE-SEP-") && x.text.includes("DNAT"));
assert.equal(sep.service, "shop/web:http");
assert.ok(sep.origin.length >= 2 && sep.origin.length % 2 === 0, JSON.stringify(sep.origin));
const bytes = Buffer.from(yaml);
const [start, end] = sep.origin;
assert.match(bytes.subarray(start, end).toString(), /port|http/, "origin is a byte range of the YAML");
assert.match(svcflow.kubeProxy(yaml, "nftables").text, /table ip kube-proxy/);
assert.match(svcflow.kubeProxy(yaml, "ipvs").text, /^IP Virtual Server/);
assert.throws(() => svcflow.kubeProxy(yaml, "userspace"), /mode/);
const refused = svcflow.kubeProxy("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {clusterIP: 10.0.0.300, ports: [{port: 80}]}\n");
assert.equal(refused.text, null);
assert.match(refused.error, /^line \d+, column \d+: .*10\.0\.0\.300/);
console.log(`embed-node: ${relative(root, main)}: ${r.objects.length} objects, ${r.graph.nodes.length} nodes, iptables ok`);

// ---- package vs CLI, every fixture --------------------------------------------------------------
const DIAG_KEYS = ["rule", "severity", "message", "object", "line", "column", "end_line", "end_column", "help", "suppressed"];
let lintMissing = false;
for (const file of files) {
  const name = relative(root, file);
  const result = svcflow.analyze(readFileSync(file, "utf8"));

  // objects: `svcflow objects` prints "Kind/namespace/name  FILE:LINE"
  const objects = cli(["objects", file]);
  assert.equal(objects.status, 0, `svcflow objects ${name}: ${objects.stderr}`);
  const fromCli = objects.stdout.trim().split("\n").filter(Boolean).map((l) => {
    const [ref, loc] = l.trim().split(/\s+/);
    return { ref, line: Number(loc.slice(loc.lastIndexOf(":") + 1)) };
  });
  assert.deepEqual(result.objects.map((o) => ({ ref: `${o.kind}/${o.namespace}/${o.name}`, line: o.line })), fromCli,
    `objects of ${name}`);

  // diagnostics: `svcflow lint --format json` when it exists
  const lint = lintMissing ? null : cli(["lint", "--format", "json", file]);
  if (lint && /unknown command/.test(lint.stderr)) {
    lintMissing = true;
    console.log("embed-node: note: `svcflow lint` does not exist yet; diagnostics compared with the ones `svcflow objects` prints");
  }
  if (lint && !lintMissing) {
    let json;
    try { json = JSON.parse(lint.stdout); } catch (e) { assert.fail(`svcflow lint --format json ${name}: not JSON (${e.message}): ${lint.stdout.slice(0, 300)}`); }
    const list = Array.isArray(json) ? json : json.diagnostics;
    assert.ok(Array.isArray(list), `svcflow lint --format json ${name}: no diagnostics array`);
    const pick = (d) => Object.fromEntries(DIAG_KEYS.map((k) => [k, d[k] === undefined ? "<missing>" : d[k]]));
    assert.deepEqual(result.diagnostics.map(pick), list.map(pick), `diagnostics of ${name} (package vs svcflow lint)`);
  } else {
    // stderr lines "FILE:LINE:COL: severity[rule]: message"
    const brief = objects.stderr.split("\n").filter((l) => l.startsWith(file + ":")).map((l) => l.slice(file.length + 1));
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity}[${d.rule}]: ${d.message}`), brief,
      `diagnostics of ${name} (package vs svcflow objects)`);
    for (const d of result.diagnostics) assert.deepEqual(Object.keys(d), DIAG_KEYS, `diagnostic shape in ${name}`);
  }
  console.log(`embed-node: ${name}: ${result.objects.length} objects and ${result.diagnostics.length} diagnostics agree with the CLI`);
}
console.log("embed-node: ok");
