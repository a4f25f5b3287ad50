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
  help        show this help

Options:
  -n, --namespace NS   namespace of objects without one (default: default)
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

struct Common {
    options: Options,
    files: Vec<String>,
}

fn run(args: Vec<std::ffi::OsString>) -> Result<u8, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut command: Option<String> = None;
    let mut common = Common { options: Options::default(), files: Vec::new() };
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
                common.options.default_namespace = parser.value().map_err(|e| e.to_string())?.string().map_err(|_| "namespace is not UTF-8")?;
            }
            Value(v) => {
                let v = v.string().map_err(|_| "arguments must be UTF-8".to_string())?;
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
            format!("{name}: not UTF-8 text (invalid byte at offset {}); svcflow reads UTF-8 or UTF-16 YAML/JSON", e.utf8_error().valid_up_to())
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
