#!/usr/bin/env bash
# Creates .venv-consumers (idempotent: skipped when it already holds exactly
# tests/consumers/requirements.txt) with the Python libraries that consume our exports:
# spaCy (blank tokenizer, no model download), Hugging Face datasets and seqeval, from PyPI.
# Prints the venv's python path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-consumers
requirements=tests/consumers/requirements.txt
stamp="$venv/.requirements"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s "$requirements" "$stamp"; then
  echo "$venv is up to date" >&2
else
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi
echo "$PWD/$venv/bin/python"
