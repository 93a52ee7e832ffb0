#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite, browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null
fi
if ! command -v pdftoppm >/dev/null; then
  echo "Installing Debian's poppler-utils (pdftoppm: the briefing PDF test renders its pages)..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq poppler-utils >/dev/null
fi
export PAQA_REQUIRE_BROWSER=1
set +e
# Two workers, one test file each at a time (--dist loadfile keeps a file's module fixtures in one worker): the
# browser tests wait on the app far more than they compute, so one core sat idle in a serial run.  Every worker
# builds its own session fixtures (demo store, servers) in its own temporary folder, and its browser tests take
# turns in one tab (tests/conftest.py, _Tab).  2,456 tests in 13 min 17 s on two 2.2 GHz AMD EPYC cores
# (6 December 2026); 2,465 in 1,122 CPU s after the changes of docs/architecture.md's paragraph (1,259 before).  The slowest tests are named: the suite must stay under 15 minutes; what keeps it there:
# docs/architecture.md, "How the suite keeps its time".  The files are handed out in the order tests/conftest.py
# gives them, the longest first (--no-loadscope-reorder; by default xdist hands out the files of most tests first).
.venv/bin/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder --durations=15 "$@"
code=$?
set -e
if [ "$code" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$code"
