use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a document that parses as YAML but does not decode into a Kubernetes object: not
    /// a mapping, no `kind`, or a field of the wrong JSON type (a quoted number where a number
    /// is expected, a list where an object is expected, a fraction in an integer field). The
    /// loader reports it while decoding; the rest of the object is still read and checked.
    ///
    /// ## Why is this bad?
    /// The API server decodes manifests into typed objects. A field of the wrong type makes
    /// decoding fail and `kubectl apply` refuses the whole object.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: "80"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// - [Kubernetes API conventions: primitive types](https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#primitive-types)
    /// - [Kubernetes API reference](https://kubernetes.io/docs/reference/kubernetes-api/)
    pub static RULE = {
        id: "invalid-object",
        severity: Error,
        verdict: Rejected,
        check: None,
    }
}
