//! Shared builders for the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use svcflow_proxy::*;

/// A Service with the given ports `(name, protocol, port, nodePort)`.
pub fn svc(
    ns: &str,
    name: &str,
    type_: ServiceType,
    cluster_ip: &str,
    ports: &[(&str, &str, i32, i32)],
) -> ProxyService {
    ProxyService {
        namespace: ns.into(),
        name: name.into(),
        type_,
        cluster_ip: cluster_ip.into(),
        cluster_ips: if cluster_ip.is_empty() || cluster_ip == "None" { vec![] } else { vec![cluster_ip.into()] },
        ports: ports
            .iter()
            .map(|&(n, p, port, np)| ProxyServicePort {
                name: n.into(),
                protocol: p.into(),
                port,
                node_port: np,
                span: None,
            })
            .collect(),
        ..Default::default()
    }
}

/// A ready endpoint with no node name.
pub fn ep(addr: &str) -> ProxyEndpoint {
    ProxyEndpoint { addresses: vec![addr.into()], ..Default::default() }
}

/// A ready endpoint on `node`.
pub fn ep_on(addr: &str, node: &str) -> ProxyEndpoint {
    ProxyEndpoint { addresses: vec![addr.into()], node_name: Some(node.into()), ..Default::default() }
}

/// An EndpointSlice for `ns/svc_name` with ports `(name, port, protocol)`.
pub fn slice(
    ns: &str,
    svc_name: &str,
    slice_name: &str,
    address_type: &str,
    endpoints: Vec<ProxyEndpoint>,
    ports: &[(&str, i32, &str)],
) -> ProxyEndpointSlice {
    ProxyEndpointSlice {
        namespace: ns.into(),
        name: slice_name.into(),
        address_type: address_type.into(),
        service_name: Some(svc_name.into()),
        ports: ports
            .iter()
            .map(|&(n, p, proto)| ProxyEndpointPort {
                name: Some(n.into()),
                port: Some(p),
                protocol: Some(proto.into()),
                span: None,
            })
            .collect(),
        endpoints,
        ..Default::default()
    }
}

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

/// Compare `actual` with `tests/golden/<name>`; `UPDATE_GOLDEN=1` rewrites the file.
pub fn golden(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if expected != actual {
        panic!("{name}: output differs from golden file\n--- expected\n{expected}\n--- actual\n{actual}");
    }
}

/// Read a golden file.
pub fn read_golden(name: &str) -> String {
    std::fs::read_to_string(golden_path(name)).unwrap()
}
