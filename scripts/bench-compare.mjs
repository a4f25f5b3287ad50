// scripts/bench-compare.mjs: the helper of scripts/bench-compare.sh and scripts/bench.sh (run
// those, not this).
//
//   node scripts/bench-compare.mjs gen DIR SIZE...       write DIR/app-SIZE.yaml (SIZE objects each)
//   node scripts/bench-compare.mjs monokle SCRATCH FILE  validate FILE with @monokle/validation
//                                                        (installed in SCRATCH/node_modules); prints a summary
//                                                        (BENCH_PHASES=1: each phase's time on stderr)
//   node scripts/bench-compare.mjs run SCRATCH SVCFLOW PKG_NODE FILE...
//                                                        time every tool on every FILE, whole process
//                                                        (spawn -> exit); print a Markdown table
//   node scripts/bench-compare.mjs wasm-phases PKG_NODE FILE [N]
//                                                        require() time and N analyze() calls in one
//                                                        process (first call vs steady state)
//   node scripts/bench-compare.mjs criterion-table DIR [LOADS]
//                                                        Markdown tables of the criterion results in
//                                                        DIR (CARGO_TARGET_DIR/criterion/engine), one
//                                                        per stage; LOADS: lines "SIZE<TAB>loadavg"
//
// Environment: BENCH_RUNS (7) measured runs per tool and file, after one warm-up run;
// BENCH_RUNS_SLOW (1) runs, without warm-up, of the slow tools (Monokle, the wasm engine) on
// files over 5 MB; BENCH_TIMEOUT (600) seconds before a run is killed (reported as "> T").
//
// Whole-process timing: spawnSync from this process, wall clock (process.hrtime) around it, and
// the child's CPU time from /proc/self/stat. The table shows the median, min and max wall time,
// the mean CPU time, and /proc/loadavg read before every row.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, statSync, readdirSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from './manifests.mjs';

const [mode, ...args] = process.argv.slice(2);

// ---------------------------------------------------------------------------------------------
// monokle: what a `monokle validate FILE` does, in one process: split the file into resources,
// processRefs (the resource-links plugin needs it), validate, print a summary.
async function monokle(scratch, file) {
  // BENCH_PHASES=1: the time of each phase on stderr
  const phases = [];
  let last = performance.now();
  const lap = (name) => {
    const now = performance.now();
    phases.push(`${name} ${(now - last).toFixed(0)} ms`);
    last = now;
  };
  // No network: every plugin used here must work offline. A fetch is a bug of this benchmark.
  globalThis.fetch = async (url) => {
    throw new Error(`bench-compare: Monokle tried to fetch ${url}`);
  };
  const lib = join(resolve(scratch), 'node_modules/@monokle/validation/lib/node.js');
  const yamlLib = join(resolve(scratch), 'node_modules/yaml/dist/index.js');
  const m = await import(pathToFileURL(lib).href);
  const YAML = (await import(pathToFileURL(yamlLib).href)).default;
  lap('import');
  const text = readFileSync(file, 'utf8');
  // As the Monokle CLI's extractK8sResources (@monokle/parser) does it.
  const resources = [];
  const lineCounter = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(text, { lineCounter, uniqueKeys: false, strict: false });
  for (const doc of docs) {
    const content = doc.toJS();
    if (doc.errors.length) continue;
    if (!content || typeof content.apiVersion !== 'string' || typeof content.kind !== 'string') continue;
    const namespace = typeof content.metadata?.namespace === 'string' ? content.metadata.namespace : undefined;
    const name = content.metadata?.name ?? '';
    resources.push({
      id: `${file}-${content.kind}-${name}-${namespace ?? ''}`,
      fileId: file,
      filePath: file,
      fileOffset: lineCounter.linePos(doc.range[0]).line - 1,
      name,
      apiVersion: content.apiVersion,
      kind: content.kind,
      namespace,
      content,
      text: doc.toString({ directives: false }),
    });
  }
  lap('yaml');
  const parser = new m.ResourceParser();
  const validator = new m.MonokleValidator(
    {
      loader: new m.DefaultPluginLoader(),
      parser,
      schemaLoader: new m.SchemaLoader(),
      suppressors: [new m.AnnotationSuppressor(), new m.FingerprintSuppressor()],
      fixer: new m.DisabledFixer(),
    },
  );
  // createDefaultMonokleValidator()'s plugins, less kubernetes-schema: it downloads the
  // Kubernetes JSON schema (definitions.json) from Monokle's server when it is configured.
  await validator.preload({
    plugins: {
      'kubernetes-schema': false,
      'yaml-syntax': true,
      'pod-security-standards': true,
      'resource-links': true,
    },
  });
  const loaded = validator.getPlugins().filter((p) => p.enabled).map((p) => p.metadata.name);
  if (loaded.length !== 3) throw new Error(`bench-compare: Monokle plugins loaded: ${loaded}`);
  lap('preload');
  m.processRefs(resources, parser, undefined, [file]);
  lap('processRefs');
  const response = await validator.validate({ resources });
  lap('validate');
  if (process.env.BENCH_PHASES === '1') console.error(`monokle phases: ${phases.join(', ')}`);
  const results = response.runs[0].results;
  const byTool = {};
  for (const r of results) {
    const t = r.rule?.toolComponent?.name ?? '?';
    byTool[t] = (byTool[t] ?? 0) + 1;
  }
  console.log(JSON.stringify({ resources: resources.length, results: results.length, byTool }));
}

// ---------------------------------------------------------------------------------------------
// run: the timing loop.
function loadavg() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

// CPU time (user + system) of this process's waited-for children, in ms: /proc/self/stat
// cutime + cstime (clock ticks, USER_HZ = 100). spawnSync waits for its child, so the difference
// around one spawn is the child's CPU time; the kernel adds children's CPU in ns and rounds only
// when reporting, so the sum over N runs is exact to 10 ms (the mean to 10/N ms).
function childCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
}

function timeOnce(cmd, argv, timeoutMs) {
  const cpu = childCpuMs();
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30, timeout: timeoutMs, killSignal: 'SIGKILL' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error && r.error.code !== 'ETIMEDOUT') throw r.error;
  const timedOut = r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL';
  return { ms, cpu: childCpuMs() - cpu, status: r.status, timedOut, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

function run(scratch, svcflow, pkgNode, files) {
  const env = (k, d) => (process.env[k] ? Number(process.env[k]) : d);
  const runs = env('BENCH_RUNS', 7); // measured runs per tool and file (after one warm-up)
  const runsSlow = env('BENCH_RUNS_SLOW', 1); // for Monokle and the wasm engine on files > 5 MB
  const timeoutMs = env('BENCH_TIMEOUT', 600) * 1000; // per run; a run past it is killed
  const self = new URL(import.meta.url).pathname;
  const wasmJs = resolve(pkgNode, 'svcflow_js.js');
  const wasmCode = `const s=require(${JSON.stringify(wasmJs)});const r=s.analyze(require('fs').readFileSync(process.argv[1],'utf8'),{});console.log(JSON.stringify({objects:r.objects.length,diagnostics:r.diagnostics.length}))`;
  const tools = [
    { name: 'node -e 0 (node startup floor)', cmd: process.execPath, argv: () => ['-e', '0'] },
    { name: 'svcflow lint (native)', cmd: svcflow, argv: (f) => ['lint', f], key: 'svcflow', slow: false },
    { name: 'svcflow wasm analyze() under node', cmd: process.execPath, argv: (f) => ['-e', wasmCode, f], key: 'wasm', slow: true },
    { name: 'Monokle validate', cmd: process.execPath, argv: (f) => [self, 'monokle', scratch, f], key: 'monokle', slow: true },
  ];
  const rows = [];
  for (const file of files) {
    const bytes = statSync(file).size;
    const big = bytes > 5e6;
    const objects = Number(/app-(\d+)\.yaml$/.exec(file)?.[1] ?? NaN);
    const medians = {};
    for (const tool of tools) {
      if (!tool.key && file !== files[0]) continue; // the node floor once
      const slowBig = big && tool.slow;
      const n = slowBig ? runsSlow : runs;
      const load = loadavg();
      const results = [];
      // one warm-up run (page cache, node's code cache), except for the slow big ones
      if (!slowBig) results.push(timeOnce(tool.cmd, tool.argv(file), timeoutMs));
      for (let i = 0; i < n; i++) results.push(timeOnce(tool.cmd, tool.argv(file), timeoutMs));
      const first = results[0];
      const measured = slowBig ? results : results.slice(1);
      const timedOut = measured.some((r) => r.timedOut);
      if (!timedOut && tool.key === 'svcflow' && ![0, 1].includes(first.status)) {
        throw new Error(`svcflow lint exited ${first.status}: ${first.stderr}`);
      }
      if (!timedOut && tool.key && tool.key !== 'svcflow' && first.status !== 0) {
        throw new Error(`${tool.name} exited ${first.status}: ${first.stderr}`);
      }
      const times = measured.map((r) => r.ms);
      const med = median(times);
      const cpu = measured.reduce((a, r) => a + r.cpu, 0) / measured.length;
      if (tool.key) medians[tool.key] = { ms: med, cpu, timedOut };
      let note = '';
      if (timedOut) {
        note = `killed after ${timeoutMs / 1000} s (BENCH_TIMEOUT)`;
      } else if (tool.key === 'svcflow') {
        const m = /(\d+) errors?, (\d+) warnings? in (\d+) objects/.exec(first.stdout + first.stderr);
        note = `exit ${first.status}` + (m ? `; ${m[1]} errors, ${m[2]} warnings in ${m[3]} objects` : '');
      } else if (tool.key) {
        note = first.stdout.trim();
      }
      rows.push({
        file: tool.key ? `${objects} objects, ${(bytes / 1e6).toFixed(2)} MB` : '-',
        tool: tool.name,
        median: (timedOut ? '> ' : '') + fmt(med),
        range: `${fmt(Math.min(...times))} – ${fmt(Math.max(...times))}`,
        cpu: fmt(cpu),
        n,
        load,
        note,
      });
      process.stderr.write(`  ${basename(file)} ${tool.name}: ${fmt(med)} (n=${n}, load ${load})\n`);
    }
    const ratio = (a, b, k) => {
      if (!medians[a] || !medians[b] || !(medians[b][k] > 0)) return '-'; // cpu below the 10 ms tick
      const x = medians[a][k] / medians[b][k];
      return `${medians[a].timedOut ? '> ' : ''}${x.toFixed(x < 10 ? 1 : 0)}x`;
    };
    rows.push({
      file: `${objects} objects`,
      ratio:
        `**Monokle / svcflow native: ${ratio('monokle', 'svcflow', 'ms')} wall, ${ratio('monokle', 'svcflow', 'cpu')} cpu**; ` +
        `Monokle / svcflow wasm: ${ratio('monokle', 'wasm', 'ms')} wall, ${ratio('monokle', 'wasm', 'cpu')} cpu`,
    });
  }
  // Markdown (goes into BENCHMARKS.md as it is).
  console.log(`Whole process, spawn -> exit. Median of ${runs} runs after one warm-up run (${runsSlow} run(s), no warm-up, for Monokle and the wasm engine on files over 5 MB); cpu = mean user+sys of the measured runs; load = /proc/loadavg just before the row's runs.`);
  console.log('');
  console.log('| input | tool | median wall | min – max | cpu | runs | load avg 1/5/15 min | output |');
  console.log('|---|---|---:|---:|---:|---:|---|---|');
  for (const r of rows) {
    if (r.ratio) console.log(`| ${r.file} | ${r.ratio} | | | | | | |`);
    else console.log(`| ${r.file} | ${r.tool} | ${r.median} | ${r.range} | ${r.cpu} | ${r.n} | ${r.load} | ${r.note.replaceAll('|', '/')} |`);
  }
}

// ---------------------------------------------------------------------------------------------
// criterion-table: per stage, per size: the median of the samples' per-iteration times (criterion
// times each sample as k iterations; sample.json has k and the total), min and max, iterations,
// and throughput in MB/s (10^6 bytes) and objects/s at the median.
function criterionTable(dir, loadsFile) {
  const loads = new Map();
  if (loadsFile) {
    for (const line of readFileSync(loadsFile, 'utf8').split('\n')) {
      const [size, load] = line.split('\t');
      if (size && !loads.has(size)) loads.set(size, load);
    }
  }
  const stages = ['parse', 'load', 'analyze', 'iptables', 'flow_view'];
  for (const stage of stages) {
    let sizes;
    try {
      sizes = readdirSync(join(dir, stage)).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b);
    } catch {
      continue;
    }
    console.log(`\n#### ${stage}\n`);
    console.log("| objects | input | median | min – max | iterations (samples) | MB/s | objects/s | load avg before this size's run |");
    console.log('|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const size of sizes) {
      const base = join(dir, stage, String(size), 'new');
      let sample, bench;
      try {
        sample = JSON.parse(readFileSync(join(base, 'sample.json'), 'utf8'));
        bench = JSON.parse(readFileSync(join(base, 'benchmark.json'), 'utf8'));
      } catch {
        console.log(`| ${size} | | not measured (killed by BENCH_STAGE_TIMEOUT, or not run) | | | | | |`);
        continue;
      }
      // criterion's --quick mode, when one iteration outlasts its time, records that one
      // iteration twice (times t and t + 1e-6 ns); count it once.
      if (sample.iters.length === 2 && sample.iters[0] === sample.iters[1] && Math.abs(sample.times[1] - sample.times[0]) < 1) {
        sample = { iters: [sample.iters[0]], times: [sample.times[0]] };
      }
      const per = sample.times.map((t, i) => t / sample.iters[i] / 1e6); // ms per iteration
      const med = median(per);
      const iters = sample.iters.reduce((a, b) => a + b, 0);
      const bytes = bench.throughput?.Bytes ?? 0;
      const mbps = bytes / 1e6 / (med / 1e3);
      const ops = size / (med / 1e3);
      console.log(
        `| ${size.toLocaleString('en-US')} | ${(bytes / 1e6).toFixed(2)} MB | ${fmt(med)} | ${fmt(Math.min(...per))} – ${fmt(Math.max(...per))} | ${iters} (${per.length}) | ${mbps.toFixed(1)} | ${Math.round(ops).toLocaleString('en-US')} | ${loads.get(String(size)) ?? ''} |`,
      );
    }
  }
}

if (mode === 'gen') {
  const [dir, ...sizes] = args;
  mkdirSync(dir, { recursive: true });
  for (const s of sizes) {
    const f = join(dir, `app-${s}.yaml`);
    writeFileSync(f, generate(Number(s)));
    console.log(f);
  }
} else if (mode === 'monokle') {
  await monokle(args[0], args[1]);
} else if (mode === 'wasm-phases') {
  // require() time, then analyze() N times in one process: the first call pays V8's compilation
  // of the module (Liftoff, then TurboFan tier-up); the later ones are the steady state.
  const [pkgNode, file, n = 4] = args;
  const { createRequire } = await import('node:module');
  const t0 = performance.now();
  const svcflow = createRequire(import.meta.url)(resolve(pkgNode, 'svcflow_js.js'));
  const t1 = performance.now();
  const text = readFileSync(file, 'utf8');
  const times = [];
  for (let i = 0; i < Number(n); i++) {
    const t = performance.now();
    svcflow.analyze(text, {});
    times.push((performance.now() - t).toFixed(0));
  }
  console.log(`require ${(t1 - t0).toFixed(0)} ms; analyze() x${n}: ${times.join(', ')} ms`);
} else if (mode === 'criterion-table') {
  criterionTable(args[0], args[1]);
} else if (mode === 'run') {
  const [scratch, svcflow, pkgNode, ...files] = args;
  run(scratch, svcflow, pkgNode, files);
} else {
  console.error('usage: see the top of scripts/bench-compare.mjs');
  process.exit(2);
}
