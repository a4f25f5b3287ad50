// Talc instead of std's dlmalloc: 2 KB smaller gzipped, and as fast in the browser benchmark
// (a 50,000-object paste allocates millions of small trees and strings; `malloc` was a quarter of
// its analysis in Chromium's profile with either allocator, most of it first touches of new
// memory: BENCHMARKS.md).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    svcflow_web::start();
}
