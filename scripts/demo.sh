#!/usr/bin/env bash
# The main job on the bundled sample workbooks: copy them to out/demo, read, validate,
# allocate and generate the triennial sheet, printing what was found.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/pdz-xl demo --out "${1:-out/demo}"
