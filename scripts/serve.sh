#!/usr/bin/env bash
# Serve Mispers: Django's server and the huey consumer (the sweeper that escalates overdue work
# every minute) together. Ctrl+C, or INT or TERM to this script, stops both; so does the server
# stopping on its own. If the consumer stops, the server carries on: overdue lists are computed
# from the data, only new escalations wait. Used by `make run`:  scripts/serve.sh [HOST:PORT]
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
ADDRESS="${1:-127.0.0.1:8000}"
# The demo runs the development settings (config/wsgi.py and asgi.py default to production).
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"

"$BIN/mispers" run_huey &
consumer=$!
"$BIN/mispers" runserver "$ADDRESS" &
server=$!

stop() {
  trap - INT TERM EXIT
  kill -TERM "$server" "$consumer" 2>/dev/null
  wait "$server" "$consumer" 2>/dev/null
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

wait "$server"
