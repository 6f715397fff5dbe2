#!/usr/bin/env bash
# The whole platform on one machine: SQLite, the filesystem broker, one worker on both queues
# (with the periodic reaper), and Django's server. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
PY=.venv/bin/python
export DEBUG="${DEBUG:-true}"
mkdir -p var
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo
$PY manage.py worker --loglevel=WARNING > var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM
echo
echo "Worker running (log: var/worker.log)."
echo "RadTuring is at http://127.0.0.1:${PORT}/  (API docs: http://127.0.0.1:${PORT}/api/docs/)"
echo
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload
