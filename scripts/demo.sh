#!/usr/bin/env bash
# `make demo`: migrate, load the demo content, then serve the site with the task worker beside it.
# One command; Ctrl+C (or the end of either process) stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py seed_demo

$PY manage.py worker --no-reload --queue-name '*' &
worker=$!
stop() { kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT TERM

$PY manage.py runserver "${DEMO_ADDRESS:-127.0.0.1:8000}"
