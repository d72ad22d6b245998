#!/usr/bin/env bash
# The storage benchmark (prints figures; see storage.mjs): reload of a 500-document /
# 200,000-annotation library, the main-thread time of one save at 10,000 annotations, and the
# cross-tab delay, on the release build in headless Chromium.
#   bash benches/browser/storage.sh [--reps 5]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bash "$root/scripts/setup.sh" --browser
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
(cd "$root" && trunk build --release --dist target/storage-bench-dist)
cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
node storage.mjs --dist "$root/target/storage-bench-dist" "$@"
