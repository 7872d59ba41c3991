#!/usr/bin/env bash
# Install bsrlab with its test extras into .venv, install Debian's chromium for the browser test,
# then run ruff, mypy, the import-layer contracts and the whole test suite (doctests included).
# Real data is read from ../shared/data unless BSRLAB_DATA says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser test ..."
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

export BSRLAB_DATA="${BSRLAB_DATA:-$(cd .. && pwd)/shared/data}"
export BSRLAB_CACHE="${BSRLAB_CACHE:-$(mktemp -d)}"
export BSRLAB_REQUIRE_BROWSER=1
export BSRLAB_REQUIRE_DATA=1
export MPLBACKEND=Agg

.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/lint-imports
# both cores: the suite runs in about 2.5 minutes instead of 3.5 on this 2-core machine
.venv/bin/pytest -q -p no:cacheprovider -n 2
