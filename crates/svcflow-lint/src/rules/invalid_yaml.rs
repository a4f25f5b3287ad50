use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a YAML document that cannot be parsed: tab indentation, an unclosed quote or
    /// bracket, a bad indentation level, an unrendered Helm template (`{{ .Values.x }}`), an
    /// alias bomb or a document over the size budget. The loader reports it while reading the
    /// input; the document is skipped and the other documents are still analysed.
    ///
    /// ## Why is this bad?
    /// `kubectl apply` fails on the whole file, and svcflow cannot check anything in the broken
    /// document, so every other finding about it is missing.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   labels: {app: web
    /// spec:
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   labels: {app: web}
    /// spec:
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// - [YAML 1.2 specification](https://yaml.org/spec/1.2.2/)
    /// - [Helm: `helm template`](https://helm.sh/docs/helm/helm_template/)
    pub static RULE = {
        id: "invalid-yaml",
        severity: Error,
        verdict: Rejected,
        check: None,
    }
}
