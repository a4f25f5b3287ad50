// Talc instead of std's dlmalloc: the engine allocates millions of small trees and strings for a
// large paste, and dlmalloc's `malloc` was a quarter of the analysis time of a 50,000-object dump
// in Chromium's profile (BENCHMARKS.md); talc is faster there and smaller.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    svcflow_web::start();
}
