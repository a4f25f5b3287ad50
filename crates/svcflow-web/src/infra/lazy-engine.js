// The svcflow JS package (the engine as built for <svcflow-view>, shipped in embed/pkg/),
// loaded the first time kube-proxy's rules are asked for: the app's own wasm carries only the
// chain summary the diagram needs, not the rule generators (first-load size; see
// crates/svcflow-web/src/infra/rules.rs).
//
// It is also where the app's YAML documents beyond the fast path's subset are read (the general
// YAML parser is a third of the wasm; see crates/svcflow-web/src/infra/yaml.rs).
let engine = null;
// the package once loaded and initialised, for synchronous calls
let ready = null;

function load() {
  if (engine === null) {
    const url = new URL("embed/pkg/svcflow_js.js", document.baseURI).href;
    engine = import(url).then(async (m) => {
      await m.default();
      if (typeof m.parseYamlDocument !== "function") {
        throw new Error("embed/pkg/ is an older svcflow package");
      }
      ready = m;
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

// A YAML document read by the general parser (the bytes of svcflow_core::yaml::encode_parse), or
// undefined while the package is not loaded yet (the load starts; the app analyses again then).
export function parseYamlDocument(segment) {
  if (ready === null) {
    load().catch(() => {});
    return undefined;
  }
  return ready.parseYamlDocument(segment);
}

export async function loadEngine() {
  await load();
}
