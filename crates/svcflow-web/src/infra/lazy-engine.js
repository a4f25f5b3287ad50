// The svcflow JS package (the engine as built for <svcflow-view>, shipped in embed/pkg/),
// loaded the first time kube-proxy's rules are asked for: the app's own wasm carries only the
// chain summary the diagram needs, not the rule generators (first-load size; see
// crates/svcflow-web/src/infra/rules.rs).
let engine = null;

function load() {
  if (engine === null) {
    const url = new URL("embed/pkg/svcflow_js.js", document.baseURI).href;
    engine = import(url).then(async (m) => {
      await m.default();
      return m;
    });
    // a failed load (offline, deploy in progress) is retried on the next request
    engine.catch(() => {
      engine = null;
    });
  }
  return engine;
}

export async function kubeProxy(yaml, mode) {
  const m = await load();
  return m.kubeProxy(yaml, mode);
}
