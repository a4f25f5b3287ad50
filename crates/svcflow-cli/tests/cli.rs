//! The `svcflow` binary end to end: arguments, files, stdin, exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn svcflow() -> Command {
    Command::new(env!("CARGO_BIN_EXE_svcflow"))
}

/// `tests/fixtures/<rel>` at the workspace root.
fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(rel)
}

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = svcflow()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("svcflow binary (cargo build -p svcflow-cli)");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn version() {
    let (code, out, _) = run(&["--version"], None);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("svcflow {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn objects_lists_kind_namespace_name_and_file_line() {
    let f = fixture("engine/frontend-backend.yaml");
    let f = f.to_str().unwrap();
    let (code, out, _) = run(&["objects", f], None);
    assert_eq!(code, 0);
    assert_eq!(out, format!("Service/shop/web     {f}:2\nDeployment/shop/web  {f}:15\n"));
}

#[test]
fn objects_from_stdin_and_several_files() {
    let (code, out, _) = run(&["objects", "-"], Some("kind: Pod\nmetadata:\n  name: p\n"));
    assert_eq!(code, 0);
    assert_eq!(out, "Pod/default/p  -:1\n");
    let f = fixture("engine/statefulset-headless.yaml");
    let (code, out, _) =
        run(&["objects", "-n", "x", "-", f.to_str().unwrap()], Some("kind: Pod\nmetadata:\n  name: p\n"));
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 3);
    assert!(out.starts_with("Pod/x/p"));
}

#[test]
fn objects_reports_invalid_yaml_with_line_and_column() {
    let (code, out, err) = run(
        &["objects", "-"],
        Some("kind: Pod\nmetadata:\n  name: p\n---\na: [\n---\nkind: Service\nmetadata:\n  name: s\n"),
    );
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2);
    assert!(err.contains("-:") && err.contains("error[invalid-yaml]"), "{err}");
}

#[test]
fn missing_file_and_unknown_command_are_usage_errors() {
    assert_eq!(run(&["objects", "/nonexistent.yaml"], None).0, 2);
    assert_eq!(run(&["frobnicate", "x"], None).0, 2);
    assert_eq!(run(&["objects"], None).0, 2);
    assert_eq!(run(&["objects", "--bogus", "1", "-"], Some("")).0, 2);
}

#[test]
fn dns_resolve_from_another_namespace_is_nxdomain() {
    let f = fixture("engine/frontend-backend.yaml");
    let (code, out, _) = run(&["dns", f.to_str().unwrap(), "--resolve", "web", "--from-namespace", "default"], None);
    assert_eq!(code, 1);
    assert!(out.contains("NXDOMAIN"), "{out}");
    let (code, out, _) = run(&["dns", f.to_str().unwrap(), "--resolve", "web", "--from-namespace", "shop"], None);
    assert_eq!(code, 0);
    assert!(out.contains("web.shop.svc.cluster.local.\tA\t"), "{out}");
}

#[test]
fn endpoints_show_excluded_pods_with_reason() {
    let f = fixture("engine/kubectl-list.yaml");
    let (code, out, _) = run(&["endpoints", f.to_str().unwrap()], None);
    assert_eq!(code, 0);
    assert!(out.contains("10.244.1.7:8080,10.244.2.9:8080 (not ready)"), "{out}");
    assert!(out.contains("excluded prod/api-5d9f7c-fghij (not ready)"), "{out}");
}

#[test]
fn lint_exit_codes_and_formats() {
    let broken = fixture("engine/helm-bom-crlf.yaml");
    let broken = broken.to_str().unwrap();
    let (code, out, err) = run(&["lint", broken], None);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("error[named-port-unresolved]") && out.contains(":15:7"), "{out}");
    let (code, out, _) = run(&["lint", "--format", "json", broken], None);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &json["diagnostics"][0];
    assert_eq!(
        (first["rule"].as_str(), first["line"].as_u64(), first["column"].as_u64()),
        (Some("named-port-unresolved"), Some(15), Some(7))
    );
    let (_, out, _) = run(&["lint", "--format", "sarif", broken], None);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 15);
    let (_, out, _) = run(&["lint", "--format", "github", broken], None);
    assert!(out.starts_with("::error file="), "{out}");
    // Clean input: 0. Unusable input (nothing but a syntax error): 2.
    let (code, _, _) = run(&["lint", "-"], Some("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n"));
    assert_eq!(code, 0);
    let (code, _, _) = run(&["lint", "-"], Some("a: [\n"));
    assert_eq!(code, 2);
    assert_eq!(run(&["lint", "--format", "xml", broken], None).0, 2);
}

#[test]
fn rules_list_and_docs() {
    let (code, out, _) = run(&["rules"], None);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("selector-matches-nothing ")), "{out}");
    let (code, out, _) = run(&["rules", "nodeport-out-of-range"], None);
    assert_eq!(code, 0);
    assert!(out.contains("## What it does") || out.contains("What it does"), "{out}");
    assert_eq!(run(&["rules", "no-such-rule"], None).0, 2);
}

#[test]
fn iptables_flags_and_errors() {
    let f = fixture("engine/kubectl-list.yaml");
    let f = f.to_str().unwrap();
    let (code, out, _) = run(&["iptables", f, "--cluster-cidr", "10.244.0.0/16"], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("*filter\n") && out.ends_with("COMMIT\n"), "{out}");
    assert!(out.contains("! -s 10.244.0.0/16 -j KUBE-MARK-MASQ"), "{out}");
    assert!(out.contains("--dport 30080"), "{out}");
    let (code, _, err) = run(&["iptables", f, "--node-ip", "not-an-ip"], None);
    assert_eq!(code, 2);
    assert!(err.contains("--node-ip"), "{err}");
    let (code, _, err) = run(
        &["iptables", "-"],
        Some("kind: Service\nmetadata: {name: bad}\nspec:\n  clusterIP: 10.0.0.999\n  ports: [{port: 80}]\n"),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("-:") && err.contains("bad"), "{err}");
    let (code, out, _) = run(&["iptables", "--format", "json", f], None);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(json["rules"].as_array().unwrap().iter().any(|r| r["origin"][0]["line"].as_u64().is_some()), "{out}");
    assert_eq!(run(&["nftables", f], None).0, 0);
    assert_eq!(run(&["ipvs", f], None).0, 0);
}

#[test]
fn graph_formats() {
    let f = fixture("engine/frontend-backend.yaml");
    let f = f.to_str().unwrap();
    let (code, out, _) = run(&["graph", f], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("flowchart LR\n") && out.contains("KUBE-SVC-"), "{out}");
    let (_, out, _) = run(&["graph", "--format", "dot", f], None);
    assert!(out.starts_with("digraph svcflow {"), "{out}");
    let (_, out, _) = run(&["graph", "--format", "json", f], None);
    assert!(out.contains("\"layout\""), "{out}");
}

/// The spec's §14 worked example as manifests, through the CLI with real-node defaults: the same
/// restore input as kube-proxy's test expectation, with mark 0x00004000 and --random-fully.
#[test]
fn iptables_worked_example_byte_for_byte() {
    let f = fixture("kube-proxy/worked-example.yaml");
    let expected = std::fs::read_to_string(fixture("kube-proxy/worked-example.real-node.iptables")).unwrap();
    let (code, out, err) = run(
        &["iptables", f.to_str().unwrap(), "--cluster-cidr", "10.0.0.0/8", "--hostname-override", "test-node"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, expected);
    // From stdin too, and in the upstream tests' normalised form.
    let text = std::fs::read_to_string(&f).unwrap();
    let (_, normalized, _) =
        run(&["iptables", "--format", "normalized", "--cluster-cidr", "10.0.0.0/8", "-"], Some(&text));
    assert!(normalized.starts_with("*filter\n:KUBE-NODEPORTS - [0:0]\n:KUBE-SERVICES - [0:0]\n"), "{normalized}");
}
