#!/usr/bin/env bash
# Prepare a fresh machine for pdz-xl: a virtual environment with the package (and what
# «pdz-xl addin» needs to build the Excel add-in), saying what it installs; and,
# with --test, everything the tests need (LibreOffice headless and poppler-utils, which
# turns the printed PDF into pictures, from Debian).
# Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "errore: serve Python >= 3.11 (trovato: $("$PY" --version 2>&1))" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "Preparo l'ambiente Python in .venv (solo la prima volta)..."
  "$PY" -m venv .venv
fi
# addin: ms-ovba, which «pdz-xl addin build/install» needs to write the VBA project
extras="fast,addin"
[ "$want_test" = 1 ] && extras="fast,test,addin"
if .venv/bin/python -c 'import pdz_xl, openpyxl, pandas, scipy, xlwings, ortools, ms_ovba' \
     >/dev/null 2>&1; then
  echo "Controllo i pacchetti Python di pdz-xl..."
else
  echo "Installo pdz-xl e i suoi pacchetti Python (openpyxl, pandas, SciPy, OR-Tools," \
       "xlwings, ms-ovba): la prima volta servono alcuni minuti..."
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"
if [ "$want_test" = 1 ]; then
  echo "Pacchetti Python per i test pronti (pytest, hypothesis, ruff...)."
fi

if [ "$want_test" = 1 ] && { ! command -v soffice >/dev/null 2>&1 || ! dpkg -s python3-uno >/dev/null 2>&1 \
                             || ! command -v pdftoppm >/dev/null 2>&1; }; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installo LibreOffice Calc (headless) e poppler-utils da Debian..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-calc-nogui python3-uno poppler-utils >/dev/null
  else
    echo "errore: i test richiedono LibreOffice (soffice) e poppler-utils; installarli con" \
         "'sudo apt-get install libreoffice-calc-nogui python3-uno poppler-utils'" >&2
    exit 2
  fi
fi
