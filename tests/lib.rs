//! Helpers shared by the cross-crate tests.

use std::path::PathBuf;

/// `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

/// The fixture files of a directory, sorted.
pub fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(dir))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"));
    files.sort();
    files
}

/// A small deterministic random generator (xorshift) for the tests' random edits, so a failure
/// is reproducible: each call gives a number below its argument (0 for 0).
pub fn xorshift(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    }
}

/// Hostile inputs, generated (some are megabytes): (name, bytes). Every one must be answered
/// quickly, without a panic, through the engine and through the CLI.
pub fn hostile_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let s = |t: &str| t.as_bytes().to_vec();
    v.push(("tab-indentation", s("kind: Service\nmetadata:\n\tname: web\n")));
    v.push(("unclosed-quote", s("kind: Service\nmetadata:\n  name: \"web\n")));
    v.push(("unclosed-flow", s("kind: Service\nspec: {ports: [80, 81\n")));
    let mut bomb = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (i, c) in "bcdefghi".chars().enumerate() {
        let prev = "abcdefgh".as_bytes()[i] as char;
        bomb.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    v.push(("alias-bomb", bomb.into_bytes()));
    v.push(("deep-nesting-flow", format!("{}{}", "[".repeat(20_000), "]".repeat(20_000)).into_bytes()));
    // Compact nested block sequences: `- - - … x` is 20,000 levels deep on one line.
    v.push(("deep-nesting-block", format!("{}x\n", "- ".repeat(20_000)).into_bytes()));
    v.push((
        "huge-scalar",
        format!("kind: Service\nmetadata:\n  name: {}\n", "x".repeat(20 * 1024 * 1024)).into_bytes(),
    ));
    let mut x: u32 = 0x1234_5678;
    let random: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    v.push(("random-binary", random));
    v.push(("nul-bytes", b"kind: Service\x00\nmetadata:\n  name: a\x00b\n".to_vec()));
    let utf16: Vec<u8> = std::iter::once(0xFEFFu16)
        .chain("kind: Service\nmetadata:\n  name: utf16\n".encode_utf16())
        .flat_map(|u| u.to_le_bytes())
        .collect();
    v.push(("utf16-le-bom", utf16));
    v.push(("bom-crlf", s("\u{feff}kind: Service\r\nmetadata:\r\n  name: crlf\r\n")));
    v.push(("json", s("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"j\"},\"spec\":{\"ports\":[{\"port\":80}]}}")));
    v.push((
        "helm-unrendered",
        s("kind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports:\n    - port: {{ .Values.port }}\n"),
    ));
    v.push(("wrong-shapes", s("kind: Service\nmetadata: [a]\nspec:\n  ports: 80\n  selector: app\n---\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: many\n  template: 5\n")));
    v.push(("numbers", s("kind: Service\nmetadata: {name: num}\nspec:\n  ports:\n    - port: 99999999999999999999999\n    - port: -80\n    - port: 80.5\n    - port: 1e400\n      nodePort: -1\n")));
    v.push(("merge-keys", s("base: &b {kind: Service, metadata: {name: m}}\n<<: *b\nspec: {ports: [{port: 80}]}\n")));
    v.push(("complex-keys", s("? [a, b]\n: c\n? {x: 1}\n: d\nkind: Service\nmetadata: {name: ck}\n")));
    let mut many_docs = String::new();
    for i in 0..30_000 {
        many_docs.push_str(&format!("---\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n"));
    }
    v.push(("many-documents", many_docs.into_bytes()));
    let mut many_ports = String::from("kind: Service\nmetadata: {name: wide}\nspec:\n  selector: {app: w}\n  ports:\n");
    for i in 0..10_000 {
        many_ports.push_str(&format!("    - {{name: p{i}, port: {}}}\n", 1 + i));
    }
    v.push(("service-10000-ports", many_ports.into_bytes()));
    v.push((
        "html-names",
        s("kind: Service\nmetadata:\n  name: \"<script>alert(1)</script>\"\n  namespace: \"<img src=x onerror=alert(1)>\"\nspec:\n  selector: {\"<svg onload=alert(1)>\": \"x\"}\n  ports: [{name: \"\\\"><b>\", port: 80}]\n"),
    ));
    v.push(("huge-replicas", s("kind: Deployment\nmetadata: {name: big}\nspec:\n  replicas: 100000000\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}\n")));
    v
}

/// A realistic manifest set of about `objects` objects: per application a Deployment with
/// five replicas, a Service with two named ports, and every tenth one a NetworkPolicy.
pub fn generate_manifests(objects: usize) -> String {
    let mut out = String::with_capacity(objects * 700);
    let apps = objects.div_ceil(2).max(1);
    let mut written = 0;
    for i in 0..apps {
        if written >= objects {
            break;
        }
        let ns = format!("team-{}", i % 20);
        out.push_str(&format!(
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app-{i}\n  namespace: {ns}\nspec:\n  selector:\n    app: app-{i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n    - name: metrics\n      port: 9090\n      targetPort: 9090\n"
        ));
        written += 1;
        if written >= objects {
            break;
        }
        out.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: {ns}\nspec:\n  replicas: 5\n  selector:\n    matchLabels:\n      app: app-{i}\n  template:\n    metadata:\n      labels:\n        app: app-{i}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app:{i}\n          ports:\n            - name: http\n              containerPort: 8080\n            - containerPort: 9090\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n          env:\n            - name: UPSTREAM\n              value: http://app-{}.{ns}.svc.cluster.local:80\n",
            (i + 1) % apps
        ));
        written += 1;
    }
    out
}
