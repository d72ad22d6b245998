//! The app's second module: a Web Worker that does the tasks of [`marginalia::tasks`] (file
//! import and export, Markdown, annotators' files), loaded on first use. On the host there is
//! nothing to run.

fn main() {
    #[cfg(target_arch = "wasm32")]
    marginalia::tasks::worker::serve();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("The worker runs in the browser, started by the app: see README.md.");
}
