#!/usr/bin/env bash
# Prints Marginalia's re-anchoring counts beside Hypothesis's anchoring libraries
# (dom-anchor-text-quote, approx-string-match) on the same edited articles, in Chromium.
#
#   bash benches/reanchor-hypothesis/run.sh
#
# Needs node, npm and Debian's Chromium at /usr/bin/chromium (playwright-core drives it; no
# browser is downloaded).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cases="$root/target/reanchor-cases.json"
mkdir -p "$root/target"
(cd "$root" && cargo run --quiet --example reanchor_cases -- "$cases")
cd "$here"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
node run.mjs "$cases"
