//! `cargo bench -p svcflow-lint`: lint generated inputs of 10 / 1,000 / 10,000 objects and
//! print the time and the throughput. A plain `main` (harness = false): no bench framework.

use std::time::Instant;
use svcflow_core::{Options, Sources};

/// `n` objects in groups of five (Deployment, Service, ConfigMap, NetworkPolicy, client Pod),
/// spread over ten namespaces, with a few findings sprinkled in.
fn generate(n: usize) -> String {
    let mut out = String::with_capacity(n * 700);
    for i in 0..n.div_ceil(5) {
        let ns = format!("ns{}", i % 10);
        let app = format!("app{i}");
        let target = if i % 50 == 7 { 9999 } else { 8080 };
        let group = format!(
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  namespace: {ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {app}
  template:
    metadata:
      labels:
        app: {app}
        tier: backend
    spec:
      containers:
      - name: main
        image: example/{app}:1.0
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
        readinessProbe:
          httpGet:
            path: /ready
            port: http
---
apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: {ns}
spec:
  selector:
    app: {app}
  ports:
  - name: http
    port: 80
    targetPort: {target}
  - name: metrics
    port: 9090
    targetPort: metrics
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-config
  namespace: {ns}
data:
  LOG_LEVEL: info
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {app}
  namespace: {ns}
spec:
  podSelector:
    matchLabels:
      app: {app}
  ingress:
  - ports:
    - port: 8080
---
apiVersion: v1
kind: Pod
metadata:
  name: {app}-client
  namespace: {ns}
spec:
  containers:
  - name: client
    image: curlimages/curl:8.10.1
    env:
    - name: TARGET_HOST
      value: {app}
    - name: TARGET_URL
      value: http://$(TARGET_HOST):80/api
    args: [\"--connect\", \"{app}.{ns}.svc.cluster.local:9090\"]
---
"
        );
        out.push_str(&group);
    }
    out
}

fn main() {
    let options = Options::default();
    println!("{:>8} {:>10} {:>10} {:>14} {:>9}", "objects", "load ms", "lint ms", "objects/s", "findings");
    for n in [10usize, 1_000, 10_000] {
        let sources = Sources::single("bench.yaml", generate(n));
        let runs = if n <= 1_000 { 20 } else { 3 };
        let mut best_lint = f64::MAX;
        let mut best_load = f64::MAX;
        let mut result = svcflow_lint::lint(&sources, &options);
        for _ in 0..runs {
            let t = Instant::now();
            let inv = svcflow_core::load(&sources, &options);
            best_load = best_load.min(t.elapsed().as_secs_f64());
            std::hint::black_box(inv);
            let t = Instant::now();
            result = svcflow_lint::lint(&sources, &options);
            best_lint = best_lint.min(t.elapsed().as_secs_f64());
        }
        println!(
            "{:>8} {:>10.2} {:>10.2} {:>14.0} {:>9}",
            result.objects,
            best_load * 1e3,
            best_lint * 1e3,
            result.objects as f64 / best_lint,
            result.diagnostics.len()
        );
    }
}
