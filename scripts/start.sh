#!/usr/bin/env bash
# Install quizapp into .venv, create or upgrade its database, load the content,
# make sure a demo instructor and class exist, and serve on http://127.0.0.1:5000.
# Safe to run again: nothing is duplicated and passwords are not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "quizapp needs Python 3.11 or newer; '$python' is older or missing. Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
.venv/bin/quizapp setup
echo
echo "Serving quizapp on http://127.0.0.1:5000 — press Ctrl+C to stop."
exec .venv/bin/gunicorn --config gunicorn.conf.py "quizapp:create_app()"
