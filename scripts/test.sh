#!/usr/bin/env bash
# Installs what is missing, then runs every test: lints, native core tests (unit, property),
# the release build, end-to-end tests driving it in Chromium, and component tests in headless
# Chromium. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true CHROMEDRIVER="$(command -v chromedriver)"
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT=60 WASM_BINDGEN_TEST_TIMEOUT=120

say() { printf '\n==> %s\n' "$*"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

say "formatting and lints (host and wasm32)"
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --bins --test browser -- -D warnings

say "release build (dist/)"
trunk build --release

say "component tests in headless Chromium"
cargo test --target wasm32-unknown-unknown --test browser 2>&1 | tee -a "$log"

say "native tests: core unit and property tests, then end-to-end tests in Chromium"
cargo test --lib --bins --tests 2>&1 | tee -a "$log"

say "consumers: spaCy, datasets and seqeval read the Label Studio, Prodigy and Hugging Face exports"
bash scripts/consumers.sh 2>&1 | tee -a "$log"

# One closing line for every layer together (wasm component tests and native tests).
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "\nTotal: %d passed, %d failed\n", passed, failed }' "$log"
