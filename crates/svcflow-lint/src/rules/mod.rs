//! The rules, one per file, and the one explicit registry [`all`].
//!
//! To add a rule: create `<rule_id_with_underscores>.rs` with a `declare_rule!` whose doc
//! comment has the five sections, add it to the list below, add
//! `tests/fixtures/<rule-id>/{invalid,valid}.yaml`, and run the tests with
//! `SVCFLOW_UPDATE_DOCS=1` and `INSTA_UPDATE=always` to generate its page and snapshot.

mod client_port_not_service_port;
mod cross_namespace_selector;
mod dns_name_cross_namespace;
mod dns_name_malformed;
mod duplicate_port;
mod duplicate_port_name;
mod endpointslice_port_mismatch;
mod etp_on_clusterip;
mod externalips_exposure;
mod externalname_invalid_host;
mod externalname_ip_address;
mod externalname_port_remap;
mod externalname_with_selector;
mod headless_with_nodeport_or_lb;
mod invalid_object;
mod invalid_yaml;
mod label_value_not_string;
mod lb_source_ranges_not_lb;
mod missing_readiness_probe;
mod named_port_unresolved;
mod networkpolicy_uses_service_port;
mod no_ready_endpoints;
mod nodeport_collision;
mod nodeport_on_clusterip;
mod nodeport_out_of_range;
mod probe_port_unresolved;
mod protocol_mismatch;
mod selector_matches_nothing;
mod selector_too_broad;
mod selectorless_without_endpoints;
mod service_name_invalid;
mod service_port_invalid;
mod session_affinity_config_invalid;
mod session_affinity_ineffective;
mod statefulset_service_missing;
mod statefulset_service_not_headless;
mod target_port_not_exposed;
mod unnamed_multiport;
mod workload_selector_mismatch;

use crate::rule::Rule;
use std::sync::OnceLock;

/// What every rule file needs.
mod prelude {
    pub(crate) use crate::context::{entry_at, find_node, port_is_valid, DnsTarget, LintContext, ServiceInfo, Target};
    pub(crate) use crate::declare_rule;
    pub(crate) use crate::names::{
        dns1035_problem, is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, is_iana_svc_name,
    };
    pub(crate) use svcflow_core::objects::{
        Body, IntOrString, LabelSelector, Object, PolicyPort, Service, ServicePort, F,
    };
    pub(crate) use svcflow_core::{Diagnostic, Span};

    /// The label that ties an EndpointSlice to its Service.
    pub(crate) const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
}

/// Every rule, in the catalogue's order. The only place rules are registered.
pub fn all() -> &'static [&'static Rule] {
    static ALL: [&Rule; 39] = [
        &invalid_yaml::RULE,
        &invalid_object::RULE,
        &service_name_invalid::RULE,
        &service_port_invalid::RULE,
        &unnamed_multiport::RULE,
        &duplicate_port_name::RULE,
        &duplicate_port::RULE,
        &nodeport_out_of_range::RULE,
        &nodeport_collision::RULE,
        &nodeport_on_clusterip::RULE,
        &headless_with_nodeport_or_lb::RULE,
        &etp_on_clusterip::RULE,
        &lb_source_ranges_not_lb::RULE,
        &session_affinity_config_invalid::RULE,
        &externalname_invalid_host::RULE,
        &label_value_not_string::RULE,
        &externalname_ip_address::RULE,
        &externalname_with_selector::RULE,
        &externalname_port_remap::RULE,
        &session_affinity_ineffective::RULE,
        &externalips_exposure::RULE,
        &selector_matches_nothing::RULE,
        &cross_namespace_selector::RULE,
        &selector_too_broad::RULE,
        &named_port_unresolved::RULE,
        &target_port_not_exposed::RULE,
        &protocol_mismatch::RULE,
        &no_ready_endpoints::RULE,
        &missing_readiness_probe::RULE,
        &probe_port_unresolved::RULE,
        &workload_selector_mismatch::RULE,
        &selectorless_without_endpoints::RULE,
        &endpointslice_port_mismatch::RULE,
        &statefulset_service_not_headless::RULE,
        &statefulset_service_missing::RULE,
        &networkpolicy_uses_service_port::RULE,
        &dns_name_cross_namespace::RULE,
        &dns_name_malformed::RULE,
        &client_port_not_service_port::RULE,
    ];
    &ALL
}

/// The unindented docs of a rule, computed once.
pub(crate) fn docs_of(rule: &Rule) -> &'static str {
    static DOCS: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    let docs = DOCS.get_or_init(|| all().iter().map(|r| (r.id, crate::rule::unindent(r.raw_docs))).collect());
    docs.iter().find(|(id, _)| *id == rule.id).map_or("", |(_, d)| d.as_str())
}
