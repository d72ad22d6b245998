//! Mounts the app. On the host there is no UI: the binary says how to run it.

fn main() {
    #[cfg(target_arch = "wasm32")]
    marginalia::ui::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("Marginalia runs in the browser: see README.md (scripts/serve.sh).");
}
