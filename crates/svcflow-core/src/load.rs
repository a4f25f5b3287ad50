//! From source texts to objects: split documents, parse YAML, expand `kind: List`, decode.

use crate::diag::{rule_ids, Diagnostic, Severity};
use crate::objects::{Decoder, Object};
use crate::yaml::{self, Node, Value};
use crate::Options;
use std::rc::Rc;
use svcflow_source::{SourceId, Sources};

/// Every object of the input, in input order, and the findings of reading them.
#[derive(Clone, Debug, Default)]
pub struct Inventory {
    pub objects: Vec<Object>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Read all sources. Never fails: bad documents become `invalid-yaml` / `invalid-object`.
pub fn load(sources: &Sources, options: &Options) -> Inventory {
    load_with(sources, options, None)
}

/// [`load`], parsing only the documents that changed since the last call with this cache
/// (see [`yaml::DocumentCache`]); the result equals [`load`]'s.
pub fn load_cached(sources: &Sources, options: &Options, cache: &mut yaml::DocumentCache) -> Inventory {
    load_with(sources, options, Some(cache))
}

fn load_with(sources: &Sources, options: &Options, mut cache: Option<&mut yaml::DocumentCache>) -> Inventory {
    let mut inv = Inventory::default();
    for (id, file) in sources.files.iter().enumerate() {
        let id = id as SourceId;
        let parsed = yaml::parse_stream_with(id, &file.text, &options.budget, cache.as_deref_mut());
        load_source(&mut inv, parsed, &file.text, options);
    }
    if let Some(cache) = cache {
        cache.end_generation();
    }
    inv.diagnostics.sort_by_key(|d| (d.primary.span.source, d.primary.span.start));
    inv
}

fn load_source(inv: &mut Inventory, parsed: yaml::ParsedSource, text: &str, options: &Options) {
    for e in parsed.errors {
        inv.diagnostics.push(
            Diagnostic::new(rule_ids::INVALID_YAML, Severity::Error, format!("invalid YAML: {}", e.message), e.span)
                .with_help(
                    "This document cannot be parsed, so nothing in it is analysed (the other documents still are). \
                     Common causes: tab characters used for indentation, an unclosed quote or bracket, a value \
                     that starts with `{{` from an unrendered Helm template (run `helm template` first).",
                ),
        );
    }
    let first_new = inv.diagnostics.len();
    let mut decoder = Decoder::new(&mut inv.diagnostics, &options.default_namespace);
    for doc in parsed.documents {
        push_objects(&mut decoder, &mut inv.objects, doc.root, 0);
    }
    // `{{ .Values.x }}` is valid YAML (a flow mapping), so an unrendered Helm template shows up
    // as a field of the wrong shape: say so.
    for d in &mut inv.diagnostics[first_new..] {
        let covered = text.get(d.primary.span.range()).unwrap_or("");
        if covered.contains("{{") {
            d.help = Some(
                "This looks like an unrendered Helm template (`{{ ... }}`): render the chart with `helm template` \
                 and paste its output."
                    .into(),
            );
        }
    }
}

fn push_objects(decoder: &mut Decoder, out: &mut Vec<Object>, node: Rc<Node>, depth: usize) {
    // `kind: List` (kubectl get -o yaml) and `*List` kinds carry their objects in `items`.
    let kind = node.get("kind").and_then(|k| k.str_value()).unwrap_or("");
    let is_list = depth < 4 && (kind == "List" || kind.ends_with("List"));
    if is_list && node.get("items").and_then(|i| i.as_seq()).is_some() {
        // The items are taken out of the tree; a tree the document cache shares is copied first.
        let node = Rc::try_unwrap(node).unwrap_or_else(|shared| (*shared).clone());
        let Value::Map(entries) = node.value else { return };
        for entry in entries {
            if entry.key.as_scalar().is_some_and(|k| &*k.text == "items") {
                if let Value::Seq(items) = entry.value.value {
                    for item in items {
                        push_objects(decoder, out, Rc::new(item), depth + 1);
                    }
                }
            }
        }
        return;
    }
    if let Some(obj) = decoder.object(node) {
        out.push(obj);
    }
}
