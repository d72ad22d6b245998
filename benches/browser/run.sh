#!/usr/bin/env bash
# The browser benchmark: Marginalia's release build beside the peers (Recogito, a naive <mark>
# page, the CSS Custom Highlight floor page) in headless Chromium, through the same harness,
# then the storage benchmark (storage.mjs) on the same build.
#
#   bash benches/browser/run.sh                      # 1,000,000 words, 1,000 and 10,000 annotations, 3 reps
#   bash benches/browser/run.sh --sizes 10000 --reps 1   # quick look
#
# Any option of run.mjs may follow (see README.md here; the last of a repeated option wins, and
# --reps applies to storage.mjs too). Writes benches/browser/results.{json,md} (or --out's):
# the .md holds both benchmarks' tables.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bash "$root/scripts/setup.sh" --browser
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
(cd "$root" && trunk build --release --public-url /marginalia/ --dist target/bench-dist)
cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
node run.mjs --out results.json --sizes 1000000 --counts 1000,10000 --reps 3 --screenshots "$root/target/bench-shots" "$@"
out=results.json prev=
for a in "$@"; do [ "$prev" = --out ] && out=$a; prev=$a; done
md="${out%.json}.md"
echo >> "$md"
node storage.mjs --dist "$root/target/bench-dist" --base /marginalia/ --reps 3 "$@" | tee -a "$md"
