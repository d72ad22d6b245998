#!/usr/bin/env bash
# Checks the Label Studio, Prodigy and Hugging Face exports with the libraries that read them
# (spaCy, datasets, seqeval; tests/consumers/check_exports.py says what is checked). Creates
# the Python venv it needs on first use (scripts/python-consumers.sh); later runs take seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
python=$(bash scripts/python-consumers.sh | tail -n 1)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --example consumer_exports -- "$out" >/dev/null
"$python" tests/consumers/check_exports.py "$out"
