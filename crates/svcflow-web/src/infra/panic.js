// The error banner (crates/svcflow-web/src/infra/panic.rs). It is built here, in plain DOM,
// because the release build aborts on a Rust panic at once (`-Cpanic=immediate-abort`,
// scripts/build.sh: no panic machinery in the wasm): no Rust hook runs then, the panic is a
// WebAssembly trap that reaches the page as an uncaught RuntimeError, and the wasm must not be
// called again. Debug builds still panic through Rust's hook, which calls showBanner too.

// Save the editor's text, then show (or update) the banner. Text only, never markup.
export function showBanner(bannerId, editorId, storageKey, message) {
  try {
    const area = document.getElementById(editorId);
    if (area) localStorage.setItem(storageKey, area.value);
  } catch (_) {
    // no storage (private mode, quota): the text is still in the editor
  }
  let banner = document.getElementById(bannerId);
  if (!banner) {
    banner = document.createElement("div");
    banner.id = bannerId;
    banner.setAttribute("role", "alert");
    banner.className = "panic-banner";
    document.body.insertBefore(banner, document.body.firstChild);
  }
  banner.textContent = "";
  const line = (tag, text) => {
    const el = document.createElement(tag);
    el.textContent = text;
    banner.appendChild(el);
  };
  line("strong", "svcflow stopped because of an internal error.");
  line(
    "p",
    `Your text is safe: it is kept in this browser's localStorage (${storageKey}) and will be back ` +
      "when you reload the page. Please report this error:",
  );
  line("pre", message);
}

// A trap anywhere in the wasm (an event handler, a timer, a promise) shows the banner.
export function installTrapHandler(bannerId, editorId, storageKey) {
  const onError = (error) => {
    if (error instanceof WebAssembly.RuntimeError) {
      console.error("svcflow stopped:", error);
      showBanner(bannerId, editorId, storageKey, `${error}\n${error.stack || ""}`.trim());
    }
  };
  window.addEventListener("error", (e) => onError(e.error));
  window.addEventListener("unhandledrejection", (e) => onError(e.reason));
}
