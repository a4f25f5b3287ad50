//! Criterion benchmarks of every engine stage (parse, resolve, kube-proxy iptables, the flow
//! graph) at 10 / 100 / 1,000 / 10,000 / 50,000 objects, and `edit`: an analysis after a
//! one-character edit in one document, as the browser does it (`analyze_cached`). Run: `cargo bench -p svcflow-tests`.
//! Numbers and the machine are recorded in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use svcflow_core::{analyze, kube_proxy::ProxyFlags, load, yaml, Options, Sources};
use svcflow_tests::generate_manifests;

fn stages(c: &mut Criterion) {
    let sizes: Vec<usize> = std::env::var("SVCFLOW_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 100, 1_000, 10_000, 50_000]);
    let options = Options::default();
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    for &objects in &sizes {
        let text = generate_manifests(objects);
        let sources = Sources::single("bench.yaml", text.clone());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", objects), &text, |b, t| {
            b.iter(|| yaml::parse_stream(0, t, &options.budget))
        });
        group.bench_with_input(BenchmarkId::new("load", objects), &sources, |b, s| b.iter(|| load(s, &options)));
        group.bench_with_input(BenchmarkId::new("analyze", objects), &sources, |b, s| b.iter(|| analyze(s, &options)));
        // a keystroke: the text differs from the cached one in one document
        let mid = text[text.len() / 2..].find("name: ").map_or(0, |i| text.len() / 2 + i + 6);
        let edits: Vec<Sources> = ["x", "xy"]
            .iter()
            .map(|typed| {
                let mut edited = text.clone();
                edited.insert_str(mid, typed);
                Sources::single("bench.yaml", edited)
            })
            .collect();
        let mut cache = yaml::DocumentCache::default();
        let mut turn = 0;
        group.bench_with_input(BenchmarkId::new("edit", objects), &edits, |b, edits| {
            b.iter(|| {
                turn += 1;
                svcflow_core::analyze_cached(&edits[turn % 2], &options, &mut cache)
            })
        });
        let analysis = analyze(&sources, &options);
        group.bench_with_input(BenchmarkId::new("iptables", objects), &analysis, |b, a| {
            b.iter(|| svcflow_core::kube_proxy::iptables(a, &ProxyFlags::default()))
        });
        group.bench_with_input(BenchmarkId::new("flow_view", objects), &analysis, |b, a| {
            b.iter(|| a.flow_view(&ProxyFlags::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
