#!/usr/bin/env bash
# The test command (README, CI): set up everything, lint, run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
set +e
.venv/bin/python -m pytest -q -n 2 --dist loadgroup "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
  echo "errore: nessun test eseguito" >&2
  exit 1
fi
exit "$rc"
