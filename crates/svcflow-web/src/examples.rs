//! The examples gallery: manifests from `www/examples/`, compiled in.

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    /// Shows a mistake (listed under "Broken").
    pub broken: bool,
    pub text: &'static str,
}

macro_rules! example {
    ($id:literal, $title:literal, $broken:literal) => {
        Example {
            id: $id,
            title: $title,
            broken: $broken,
            text: include_str!(concat!("../../../www/examples/", $id, ".yaml")),
        }
    };
}

pub const EXAMPLES: &[Example] = &[
    example!("frontend-backend", "Frontend → backend (ClusterIP)", false),
    example!("nodeport-lab", "NodePort lab", false),
    example!("public-loadbalancer", "Public LoadBalancer", false),
    example!("externalname-migration", "ExternalName migration", false),
    example!("headless-statefulset", "Headless StatefulSet", false),
    example!("broken-selector-typo", "Selector typo", true),
    example!("broken-target-port", "Wrong targetPort", true),
    example!("broken-readiness", "Readiness failing", true),
    example!("broken-short-dns", "Short DNS name from another namespace", true),
    example!("broken-nodeport-range", "NodePort out of range", true),
];

/// The example whose text this is, if any.
pub fn find_by_text(text: &str) -> Option<usize> {
    EXAMPLES.iter().position(|e| e.text == text)
}

pub fn find(id: &str) -> Option<usize> {
    EXAMPLES.iter().position(|e| e.id == id)
}
