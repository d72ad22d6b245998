#!/usr/bin/env bash
# What each part of the two wasm modules weighs (twiggy), and what the browser downloads:
# prints the table of README.md, "What loads when".
#   bash benches/size/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/scripts/setup.sh"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0 --locked
cd "$root"
trunk build --release --dist target/size-dist >/dev/null
node benches/size/wasm-sizes.mjs target target/size-dist
