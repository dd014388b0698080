#!/usr/bin/env bash
# Two app servers against one database and one Redis, as in production
# (README "Deployment"). Runs migrate and collectstatic once, then two gunicorn
# instances on 127.0.0.1:8001 and :8002 (PORTS to change), in the foreground:
# Ctrl-C, or either instance dying, stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

for name in SECRET_KEY ALLOWED_HOSTS DATABASE_URL REDIS_URL; do
  if [ -z "${!name:-}" ]; then
    echo "serve-prod: $name is required (see README, Deployment)" >&2
    exit 2
  fi
done
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "serve-prod: DATABASE_URL must point to PostgreSQL" >&2; exit 2 ;;
esac
export DEBUG=false

PY=.venv/bin/python
PORTS=${PORTS:-"8001 8002"}

$PY manage.py check --deploy --fail-level ERROR
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap 'stop; echo "serve-prod: stopped"; exit 0' INT TERM
trap stop EXIT

for port in $PORTS; do
  GUNICORN_BIND="127.0.0.1:$port" GUNICORN_NAME="kieumau-$port" \
    .venv/bin/gunicorn -c gunicorn.conf.py &
  pids+=("$!")
done
echo "serve-prod: gunicorn on $(for p in $PORTS; do printf '127.0.0.1:%s ' "$p"; done)(pids ${pids[*]})"
# Whichever instance stops first ends the run (and the trap stops the other).
set +e
wait -n "${pids[@]}"
status=$?
echo "serve-prod: an instance exited with status $status; stopping" >&2
exit "$status"
