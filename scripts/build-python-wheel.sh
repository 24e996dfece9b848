#!/usr/bin/env bash
# Builds a real Python wheel from the jsii-generated sources in dist/python (made by
# `npx projen package:python`, which generates code only). PyPI is out of reach here,
# so it builds without isolation with Debian's tools:
#   apt-get install -y python3-build python3-setuptools python3-wheel twine
# The wheel cannot be installed on this machine: its runtime dependencies come from PyPI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py=/usr/bin/python3
[ -f "$root/dist/python/setup.py" ] || { echo "no dist/python: run 'npx projen package:python' first" >&2; exit 1; }
"$py" -c 'import build, setuptools, wheel' 2>/dev/null || {
  echo "needs Debian's python3-build python3-setuptools python3-wheel (apt-get install -y python3-build python3-setuptools python3-wheel twine)" >&2; exit 1; }
out="$root/dist/python-wheel"
rm -rf "$out"
(cd "$root/dist/python" && "$py" -m build --no-isolation --skip-dependency-check --outdir "$out" . >/dev/null)
ls -la "$out"
if "$py" -m twine --version >/dev/null 2>&1; then "$py" -m twine check "$out"/*; fi
