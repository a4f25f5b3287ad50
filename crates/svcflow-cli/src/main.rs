//! `svcflow`: the engine on the command line, for CI pipelines. A thin face: every answer comes
//! from `svcflow-core` (and the crates built on it); this file only reads arguments and files
//! and prints.

use std::io::Read;
use std::process::ExitCode;
use svcflow_core::{Options, Sources};

const USAGE: &str = "\
svcflow: see how Kubernetes Services resolve

Usage: svcflow <COMMAND> [OPTIONS] FILE...|-

Commands:
  objects     list the objects found, with their file and line
  dns         the DNS records CoreDNS would serve; --resolve NAME --from-namespace NS answers one query
  endpoints   per Service port, the endpoints (like kubectl get endpointslices) and every pod left out, with why
  help        show this help

Options:
  -n, --namespace NS       namespace of objects without one (default: default)
  --cluster-domain D       cluster DNS domain (default: cluster.local)
  -V, --version        print the version
  -h, --help           print this help
";

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
                println!("svcflow {}", env!("CARGO_PKG_VERSION"));
                return Ok(0);
            }
            Short('h') | Long("help") => {
                print!("{USAGE}");
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
        Some("dns") => cmd_dns(&common),
        Some("endpoints") => cmd_endpoints(&common),
        Some("help") | None => {
            print!("{USAGE}");
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
        println!("{obj:<width$}  {loc}");
    }
    print_diagnostics_brief(&sources, &diagnostics);
    Ok(0)
}

fn cmd_dns(common: &Common) -> Result<u8, String> {
    common.allow(&["from-namespace", "resolve"])?;
    let sources = read_sources(&common.files)?;
    let analysis = svcflow_core::analyze(&sources, &common.options);
    print_diagnostics_brief(&sources, &analysis.diagnostics);
    let from = common.flag("from-namespace").unwrap_or(&common.options.default_namespace);
    if let Some(name) = common.flag("resolve") {
        let r = analysis.resolve_dns(name, from);
        for a in &r.attempts {
            let outcome =
                if a.answers.is_empty() { "NXDOMAIN".to_string() } else { format!("{} answer(s)", a.answers.len()) };
            println!(";; query {}.  {outcome}", a.query);
        }
        if r.upstream {
            println!(";; {} is outside {}: the cluster DNS forwards it upstream", r.name, analysis.cluster_domain);
            return Ok(0);
        }
        if r.answers.is_empty() {
            println!(";; NXDOMAIN: `{}` does not resolve from namespace {from}", r.name);
            return Ok(1);
        }
        for rec in &r.answers {
            println!("{}", rec.line());
        }
        return Ok(0);
    }
    print!("{}", svcflow_core::report::dns_records(&analysis));
    Ok(0)
}

fn cmd_endpoints(common: &Common) -> Result<u8, String> {
    common.allow(&[])?;
    let sources = read_sources(&common.files)?;
    let analysis = svcflow_core::analyze(&sources, &common.options);
    print_diagnostics_brief(&sources, &analysis.diagnostics);
    print!("{}", svcflow_core::report::endpoints_table(&analysis));
    Ok(0)
}
