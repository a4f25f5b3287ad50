//! `svcflow`: the engine on the command line, for CI pipelines. A thin face: every answer comes
//! from `svcflow-core` (and the crates built on it); this file only reads arguments and files
//! and prints.

use std::io::Read;
use std::process::ExitCode;
use svcflow_core::kube_proxy::ProxyMode;
use svcflow_core::{Options, Sources};

/// mimalloc: the engine allocates many small strings and nodes; with glibc's malloc a third of a
/// `svcflow lint` run was allocation and page zeroing (BENCHMARKS.md, the Monokle comparison).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
svcflow: see how Kubernetes Services resolve

Usage: svcflow <COMMAND> [OPTIONS] FILE...|-

Commands:
  lint        report mistakes with their line and column (--format text|json|sarif|github|narrate)
              exit status: 0 no error, 1 at least one error, 2 unusable input or usage
  rules [ID]  list the lint rules, or print one rule's documentation
              (--write-docs DIR writes DIR/<id>.md for every rule)
  objects     list the objects found, with their file and line
  dns         the DNS records CoreDNS would serve; --resolve NAME --from-namespace NS answers one query
  endpoints   per Service port, the endpoints (like kubectl get endpointslices) and every pod left out, with why
  iptables    the iptables-restore input kube-proxy would write on one node (--format text|normalized|json)
  nftables    the same as kube-proxy's nftables ruleset
  ipvs        the same as an `ipvsadm -Ln` table
  graph       the DNS -> Service -> kube-proxy -> Pod flow (--format mermaid|dot|json)
  help        show this help

Options:
  -n, --namespace NS       namespace of objects without one (default: default)
  --cluster-domain D       cluster DNS domain (default: cluster.local)

kube-proxy options (iptables, nftables, ipvs, graph; named as kube-proxy names them; a
KubeProxyConfiguration and a Node in the input give the same settings, flags win):
  --hostname-override NAME         node name (default: a Node of the input, else node-1)
  --node-ip IP                     the node's primary IP
  --node-addresses IP,...          the node's local addresses (for --nodeport-addresses)
  --node-labels k=v,...            node labels (topology.kubernetes.io/zone for hints)
  --ip-family ipv4|ipv6            one document per family (default ipv4)
  --cluster-cidr CIDR              pod CIDR; enables the ClusterCIDR local-traffic detector
  --detect-local-mode MODE         ClusterCIDR | NodeCIDR | BridgeInterface | InterfaceNamePrefix
  --pod-bridge-interface IF        for BridgeInterface
  --pod-interface-name-prefix P    for InterfaceNamePrefix
  --masquerade-all                 SNAT all traffic to ClusterIPs
  --iptables-masquerade-bit N      default 14 (mark 0x00004000)
  --nodeport-addresses CIDR,...    which local addresses accept NodePorts (default all)
  --iptables-localhost-nodeports=true|false
  -V, --version        print the version
  -h, --help           print this help
";

/// `print!` that stops quietly when stdout is closed (`svcflow rules | head`) instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if let Err(e) = write!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

macro_rules! outln {
    ($($arg:tt)*) => {{
        out!($($arg)*);
        out!("\n");
    }};
}

/// Exit status for unusable input or bad usage.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1).collect()) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("svcflow: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Flags that take no value; every other `--flag` takes one (`--flag V` or `--flag=V`).
const SWITCHES: &[&str] = &["masquerade-all", "no-color"];

struct Common {
    options: Options,
    files: Vec<String>,
    /// Long flags of the command, in order (`--format json` → ("format", "json")).
    flags: Vec<(String, String)>,
}

impl Common {
    fn flag(&self, name: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// Reject flags the command does not know (a typo must not be ignored silently).
    fn allow(&self, known: &[&str]) -> Result<(), String> {
        match self.flags.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            Some((k, _)) => Err(format!("unknown option `--{k}` for this command\n\n{USAGE}")),
            None => Ok(()),
        }
    }
}

fn run(args: Vec<std::ffi::OsString>) -> Result<u8, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut command: Option<String> = None;
    let mut common = Common { options: Options::default(), files: Vec::new(), flags: Vec::new() };
    let utf8 = |v: std::ffi::OsString| v.into_string().map_err(|_| "arguments must be UTF-8".to_string());
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Short('V') | Long("version") => {
                outln!("svcflow {}", env!("CARGO_PKG_VERSION"));
                return Ok(0);
            }
            Short('h') | Long("help") => {
                out!("{USAGE}");
                return Ok(0);
            }
            Short('n') | Long("namespace") => {
                common.options.default_namespace = utf8(parser.value().map_err(|e| e.to_string())?)?;
            }
            Long("cluster-domain") => {
                common.options.cluster_domain = utf8(parser.value().map_err(|e| e.to_string())?)?;
            }
            Long(name) => {
                let name = name.to_string();
                let value = if SWITCHES.contains(&name.as_str()) {
                    match parser.optional_value() {
                        Some(v) => utf8(v)?,
                        None => "true".into(),
                    }
                } else {
                    utf8(parser.value().map_err(|e| format!("--{name}: {e}"))?)?
                };
                common.flags.push((name, value));
            }
            Value(v) => {
                let v = utf8(v)?;
                if command.is_none() {
                    command = Some(v);
                } else {
                    common.files.push(v);
                }
            }
            _ => return Err(format!("{}\n\n{USAGE}", arg.unexpected())),
        }
    }
    match command.as_deref() {
        Some("objects") => cmd_objects(&common),
        Some("lint") => cmd_lint(&common),
        Some("rules") => cmd_rules(&common),
        Some("dns") => cmd_dns(&common),
        Some("endpoints") => cmd_endpoints(&common),
        Some("iptables") => cmd_proxy(&common, ProxyMode::Iptables),
        Some("nftables") => cmd_proxy(&common, ProxyMode::Nftables),
        Some("ipvs") => cmd_proxy(&common, ProxyMode::Ipvs),
        Some("graph") => cmd_graph(&common),
        Some("help") | None => {
            out!("{USAGE}");
            Ok(if command.is_none() { EXIT_USAGE } else { 0 })
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

/// Read the named files (`-` is stdin) into sources; a missing file is a usage error.
fn read_sources(files: &[String]) -> Result<Sources, String> {
    if files.is_empty() {
        return Err("no input: give one or more files, or `-` for stdin".into());
    }
    let mut sources = Sources::new();
    for f in files {
        let bytes = if f == "-" {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("cannot read stdin: {e}"))?;
            buf
        } else {
            std::fs::read(f).map_err(|e| format!("cannot read {f}: {e}"))?
        };
        sources.add(f.clone(), decode_text(f, bytes)?);
    }
    Ok(sources)
}

/// Input as text: UTF-8 (a BOM is kept; the parser skips it), or UTF-16 with a BOM.
fn decode_text(name: &str, bytes: Vec<u8>) -> Result<String, String> {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
            .collect();
        String::from_utf16(&units).map_err(|_| format!("{name}: invalid UTF-16"))
    };
    match bytes.get(..2) {
        Some([0xFF, 0xFE]) => utf16(true),
        Some([0xFE, 0xFF]) => utf16(false),
        _ => String::from_utf8(bytes).map_err(|e| {
            format!(
                "{name}: not UTF-8 text (invalid byte at offset {}); svcflow reads UTF-8 or UTF-16 YAML/JSON",
                e.utf8_error().valid_up_to()
            )
        }),
    }
}

/// The inputs of a command, analysed; reading findings go to stderr.
fn read_and_analyze(common: &Common) -> Result<(Sources, svcflow_core::Analysis), String> {
    let sources = read_sources(&common.files)?;
    let analysis = svcflow_core::analyze(&sources, &common.options);
    print_diagnostics_brief(&sources, &analysis.diagnostics);
    Ok((sources, analysis))
}

fn print_diagnostics_brief(sources: &Sources, diagnostics: &[svcflow_core::Diagnostic]) {
    for d in diagnostics {
        let pos = sources.line_col(d.primary.span);
        eprintln!(
            "{}:{}:{}: {}[{}]: {}",
            sources.name(d.primary.span.source),
            pos.line,
            pos.column,
            d.severity.as_str(),
            d.rule,
            d.message
        );
    }
}

fn cmd_objects(common: &Common) -> Result<u8, String> {
    common.allow(&[])?;
    let sources = read_sources(&common.files)?;
    let (objects, diagnostics) = svcflow_core::list_objects(&sources, &common.options);
    let rows: Vec<(String, String)> = objects
        .iter()
        .map(|o| (format!("{}/{}/{}", o.kind, o.namespace, o.name), format!("{}:{}", sources.name(o.source), o.line)))
        .collect();
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    for (obj, loc) in rows {
        outln!("{obj:<width$}  {loc}");
    }
    print_diagnostics_brief(&sources, &diagnostics);
    Ok(0)
}

fn cmd_dns(common: &Common) -> Result<u8, String> {
    common.allow(&["from-namespace", "resolve"])?;
    let (_, analysis) = read_and_analyze(common)?;
    let from = common.flag("from-namespace").unwrap_or(&common.options.default_namespace);
    if let Some(name) = common.flag("resolve") {
        let r = analysis.resolve_dns(name, from);
        for a in &r.attempts {
            let outcome =
                if a.answers.is_empty() { "NXDOMAIN".to_string() } else { format!("{} answer(s)", a.answers.len()) };
            outln!(";; query {}.  {outcome}", a.query);
        }
        if r.upstream {
            outln!(";; {} is outside {}: the cluster DNS forwards it upstream", r.name, analysis.cluster_domain);
            return Ok(0);
        }
        if r.answers.is_empty() {
            outln!(";; NXDOMAIN: `{}` does not resolve from namespace {from}", r.name);
            return Ok(1);
        }
        for rec in &r.answers {
            outln!("{}", rec.line());
        }
        return Ok(0);
    }
    out!("{}", svcflow_core::report::dns_records(&analysis));
    Ok(0)
}

fn cmd_endpoints(common: &Common) -> Result<u8, String> {
    common.allow(&[])?;
    let (_, analysis) = read_and_analyze(common)?;
    out!("{}", svcflow_core::report::endpoints_table(&analysis));
    Ok(0)
}

const PROXY_FLAGS: &[&str] = &[
    "hostname-override",
    "node-ip",
    "node-addresses",
    "node-labels",
    "ip-family",
    "cluster-cidr",
    "detect-local-mode",
    "pod-bridge-interface",
    "pod-interface-name-prefix",
    "masquerade-all",
    "iptables-masquerade-bit",
    "nodeport-addresses",
    "iptables-localhost-nodeports",
];

fn parse_bool(flag: &str, v: &str) -> Result<bool, String> {
    match v {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("--{flag} expects true or false, got `{v}`")),
    }
}

fn list(v: &str) -> Vec<String> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn proxy_flags(common: &Common) -> Result<svcflow_core::kube_proxy::ProxyFlags, String> {
    use svcflow_core::kube_proxy::ProxyFlags;
    let mut f = ProxyFlags::default();
    for (k, v) in &common.flags {
        match k.as_str() {
            "hostname-override" => f.hostname_override = Some(v.clone()),
            "node-ip" => {
                for ip in list(v) {
                    ip.parse::<std::net::IpAddr>().map_err(|_| format!("--node-ip: `{ip}` is not an IP address"))?;
                }
                f.node_ip = Some(v.clone());
            }
            "node-addresses" => {
                for ip in list(v) {
                    ip.parse::<std::net::IpAddr>()
                        .map_err(|_| format!("--node-addresses: `{ip}` is not an IP address"))?;
                }
                f.node_addresses = Some(list(v));
            }
            "node-labels" => {
                let mut labels = std::collections::BTreeMap::new();
                for kv in list(v) {
                    let (a, b) = kv.split_once('=').ok_or_else(|| format!("--node-labels: `{kv}` is not key=value"))?;
                    labels.insert(a.to_string(), b.to_string());
                }
                f.node_labels = Some(labels);
            }
            "ip-family" => {
                f.ip_family = Some(match v.to_ascii_lowercase().as_str() {
                    "ipv4" | "4" => svcflow_proxy_family(false),
                    "ipv6" | "6" => svcflow_proxy_family(true),
                    _ => return Err(format!("--ip-family expects ipv4 or ipv6, got `{v}`")),
                })
            }
            "cluster-cidr" => f.cluster_cidr = Some(v.clone()),
            "detect-local-mode" => f.detect_local_mode = Some(v.clone()),
            "pod-bridge-interface" => f.pod_bridge_interface = Some(v.clone()),
            "pod-interface-name-prefix" => f.pod_interface_name_prefix = Some(v.clone()),
            "masquerade-all" => f.masquerade_all = Some(parse_bool(k, v)?),
            "iptables-masquerade-bit" => {
                f.masquerade_bit =
                    Some(v.parse().map_err(|_| format!("--iptables-masquerade-bit expects a number, got `{v}`"))?)
            }
            "nodeport-addresses" => f.nodeport_addresses = Some(list(v)),
            "iptables-localhost-nodeports" => f.localhost_nodeports = Some(parse_bool(k, v)?),
            _ => {}
        }
    }
    Ok(f)
}

fn svcflow_proxy_family(v6: bool) -> svcflow_core::kube_proxy::IpFamily {
    if v6 {
        svcflow_core::kube_proxy::IpFamily::V6
    } else {
        svcflow_core::kube_proxy::IpFamily::V4
    }
}

/// Print a kube-proxy error with the object and line it names.
fn proxy_error(sources: &Sources, e: &svcflow_core::kube_proxy::ProxyError) -> String {
    match e.span {
        Some(span) => {
            let lc = sources.line_col(span);
            format!("{}:{}:{}: {}", sources.name(span.source), lc.line, lc.column, e.message)
        }
        None => e.message.clone(),
    }
}

fn cmd_proxy(common: &Common, mode: ProxyMode) -> Result<u8, String> {
    let mut known = PROXY_FLAGS.to_vec();
    if mode == ProxyMode::Iptables {
        known.push("format");
    }
    common.allow(&known)?;
    let flags = proxy_flags(common)?;
    let (sources, analysis) = read_and_analyze(common)?;
    let input = svcflow_core::kube_proxy::proxy_input(&analysis, &flags).map_err(|e| proxy_error(&sources, &e))?;
    let (services, slices, config) = (&input.services, &input.slices, &input.config);
    match mode {
        ProxyMode::Iptables => {
            let out = svcflow_core::kube_proxy::generate_iptables(services, slices, config)
                .map_err(|e| proxy_error(&sources, &e))?;
            for w in &out.warnings {
                eprintln!("svcflow: warning: {}", proxy_error(&sources, w));
            }
            match common.flag("format").unwrap_or("text") {
                "text" => out!("{}", out.text),
                "normalized" => out!("{}", svcflow_core::kube_proxy::normalize_iptables(&out.text)),
                "json" => outln!("{}", iptables_json(&sources, &out)),
                f => return Err(format!("--format for iptables is text, normalized or json, not `{f}`")),
            }
        }
        ProxyMode::Nftables => out!(
            "{}",
            svcflow_core::kube_proxy::generate_nftables(services, slices, config)
                .map_err(|e| proxy_error(&sources, &e))?
        ),
        ProxyMode::Ipvs => out!(
            "{}",
            svcflow_core::kube_proxy::generate_ipvs(services, slices, config).map_err(|e| proxy_error(&sources, &e))?
        ),
    }
    Ok(0)
}

/// Rules with their provenance: every span becomes file/line/column.
fn iptables_json(sources: &Sources, out: &svcflow_core::kube_proxy::IptablesOutput) -> String {
    use serde_json::json;
    let loc = |s: &svcflow_core::Span| {
        let lc = sources.line_col(*s);
        json!({"file": sources.name(s.source), "line": lc.line, "column": lc.column, "text": sources.slice(*s).lines().next().unwrap_or("")})
    };
    json!({
        "text": out.text,
        "rules": out.rules.iter().map(|r| json!({
            "table": r.table, "chain": r.chain, "rule": r.text, "service": r.service,
            "origin": r.origin.iter().map(loc).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "chains": out.chains,
        "services": out.services,
        "warnings": out.warnings.iter().map(|w| proxy_error(sources, w)).collect::<Vec<_>>(),
    })
    .to_string()
}

fn cmd_graph(common: &Common) -> Result<u8, String> {
    let mut known = PROXY_FLAGS.to_vec();
    known.push("format");
    common.allow(&known)?;
    let flags = proxy_flags(common)?;
    let (sources, analysis) = read_and_analyze(common)?;
    let view = analysis.flow_view(&flags);
    if let Err(e) = &view.iptables {
        eprintln!("svcflow: kube-proxy chains not shown: {}", proxy_error(&sources, e));
    }
    match common.flag("format").unwrap_or("mermaid") {
        "mermaid" => out!("{}", svcflow_core::flow::to_mermaid(&view.graph)),
        "dot" => out!("{}", svcflow_core::flow::to_dot(&view.graph)),
        "json" => {
            let nodes: Vec<&svcflow_core::flow::FlowNode> = view.graph.nodes().map(|(_, n)| n).collect();
            let edges: Vec<serde_json::Value> = view
                .graph
                .graph
                .raw_edges()
                .iter()
                .map(|e| serde_json::json!({"from": e.source().index(), "to": e.target().index(), "label": e.weight.label, "status": e.weight.status}))
                .collect();
            outln!("{}", serde_json::json!({"nodes": nodes, "edges": edges, "layout": view.layout}));
        }
        f => return Err(format!("--format for graph is mermaid, dot or json, not `{f}`")),
    }
    Ok(0)
}

fn cmd_lint(common: &Common) -> Result<u8, String> {
    common.allow(&["format", "no-color"])?;
    let sources = read_sources(&common.files)?;
    let result = svcflow_lint::lint(&sources, &common.options);
    let d = &result.diagnostics;
    use svcflow_lint::render;
    match common.flag("format").unwrap_or("text") {
        "text" => {
            use std::io::IsTerminal;
            let color = !common.flags.iter().any(|(k, _)| k == "no-color")
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none();
            out!("{}", render::text(&sources, d, color));
            eprintln!("{}", render::summary(&result));
        }
        "json" => outln!("{}", render::json(&sources, d)),
        "sarif" => outln!("{}", render::sarif(&sources, d)),
        "github" => out!("{}", render::github(&sources, d)),
        "narrate" => out!("{}", render::narrate(&sources, d)),
        f => return Err(format!("--format for lint is text, json, sarif, github or narrate, not `{f}`")),
    }
    Ok(result.exit_code())
}

fn cmd_rules(common: &Common) -> Result<u8, String> {
    common.allow(&["write-docs"])?;
    if let Some(dir) = common.flag("write-docs") {
        let dir = std::path::Path::new(dir);
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for rule in svcflow_lint::rules() {
            let path = dir.join(format!("{}.md", rule.id));
            std::fs::write(&path, svcflow_lint::render_rule_markdown(rule))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        let readme = dir.join("README.md");
        std::fs::write(&readme, svcflow_lint::render_readme(svcflow_lint::rules()))
            .map_err(|e| format!("cannot write {}: {e}", readme.display()))?;
        eprintln!("wrote {} rule pages to {}", svcflow_lint::rules().len(), dir.display());
        return Ok(0);
    }
    match common.files.first() {
        Some(id) => match svcflow_lint::rule(id) {
            Some(rule) => {
                out!("{}", svcflow_lint::render_rule_markdown(rule));
                Ok(0)
            }
            None => Err(format!("no rule `{id}`; `svcflow rules` lists them")),
        },
        None => {
            let width = svcflow_lint::rules().iter().map(|r| r.id.len()).max().unwrap_or(0);
            for rule in svcflow_lint::rules() {
                outln!("{:<width$}  {:<7}  {}", rule.id, rule.severity.as_str(), rule.summary());
            }
            Ok(0)
        }
    }
}
