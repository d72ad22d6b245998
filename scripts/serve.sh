#!/usr/bin/env bash
# Installs what is missing, then builds Marginalia and serves it on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
echo "==> building and serving on http://127.0.0.1:8080 (Ctrl+C stops)"
# No autoreload: its injected inline script would be refused by the Content-Security-Policy.
exec trunk serve --release --no-autoreload --address 127.0.0.1 --port 8080
