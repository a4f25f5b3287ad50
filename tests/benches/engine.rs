//! Criterion benchmarks of every engine stage (parse, resolve, kube-proxy iptables, the flow
//! graph) at 10 / 100 / 1,000 / 10,000 / 50,000 objects. Run: `cargo bench -p svcflow-tests`.
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
