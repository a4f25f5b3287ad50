// The generated manifests every benchmark uses (scripts/bench-compare.mjs, and the browser
// benchmark tests/e2e/bench-browser.mjs), so their numbers are about the same input.
//
// gen: a realistic app set. Each app is a Deployment, its Service and a NetworkPolicy that lets
// the previous app of the namespace (its caller) and the monitoring namespace in; apps call the
// next app by its DNS name. Every 25th Service has a targetPort no container declares (svcflow's
// target-port-not-exposed) and every 50th Deployment reads a missing ConfigMap (Monokle's
// LNK001), so both tools have something to report. Objects are cut at exactly SIZE.
function app(i, apps) {
  const ns = `team-${i % 12}`;
  const name = `app-${i}`;
  const caller = `app-${Math.max(0, i - 12)}`;
  const next = `app-${(i + 12) % apps}.team-${(i + 12) % apps % 12}.svc.cluster.local`;
  const targetPort = i % 25 === 24 ? 8081 : 'http';
  // every 50th app reads a ConfigMap that is not in the file (a finding for Monokle's resource-links)
  const envFrom = i % 50 === 49 ? `\n          envFrom:\n            - configMapRef:\n                name: ${name}-config` : '';
  return [
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/part-of: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
        app.kubernetes.io/part-of: shop
    spec:
      containers:
        - name: ${name}
          image: registry.example.com/shop/${name}:1.4.${i % 10}
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
          env:
            - name: NEXT_URL
              value: http://${next}:80/api${envFrom}
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
`,
    `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - name: http
      port: 80
      targetPort: ${targetPort}
    - name: metrics
      port: 9090
      targetPort: metrics
`,
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}-ingress
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: ${caller}
      ports:
        - port: 8080
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: monitoring
      ports:
        - port: 9090
`,
  ];
}

export function generate(objects) {
  const apps = Math.ceil(objects / 3);
  const docs = [];
  for (let i = 0; i < apps && docs.length < objects; i++) {
    for (const d of app(i, apps)) if (docs.length < objects) docs.push(d);
  }
  return docs.join('---\n');
}

