#!/usr/bin/env bash
# Install quizapp with its test tools into .venv, make sure Chromium is there for the
# browser tests (installing Debian's package when run as root), and run every test.
# Extra arguments go to pytest, e.g. scripts/test.sh -k reader
# With QUIZAPP_TEST_DATABASE_URL set to a PostgreSQL URL, every test runs on that database
# instead of SQLite (scripts/postgres-for-tests.sh starts a throwaway one and prints its URL).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "quizapp needs Python 3.11 or newer; '$python' is older or missing. Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "The browser tests need: ${need_apt[*]}. Install with: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi

exec .venv/bin/python -m pytest "$@"
