#!/usr/bin/env bash
# Issue 14's outage acceptance against a REAL MLflow 2.12 tracking server, checked by hand (CI has no MLflow; the tests'
# ServerOutageTests do the same against an in-process server):
#   1. a real `mlflow server` (one worker; SQLite by default, BACKEND=file for MLflow's file store — where a resent point
#      would show twice, as MLflow's SQL store drops exact duplicates —, BACKEND=postgresql for a throwaway PostgreSQL
#      cluster, tests/interop/postgres-cluster-lib.sh, needs Debian's python3-psycopg2) is started from MLflow's source;
#   2. tests/interop/OutageTrainer, a .NET training loop, logs STEPS steps × KEYS metrics through R.LogMetrics over
#      http:// (one step every INTERVAL_MS ms);
#   3. OUTAGE_AFTER seconds into the loop the server is stopped (its whole process group), left down OUTAGE seconds
#      (default 30), then restarted on the same backend and port;
#   4. the loop goes on, the run ends (waiting for the buffer), and MLflow's Python client checks that every point
#      arrived exactly once (tests/interop/mlflow_outage_check.py).
# The client runs with MLflow's default retry settings (MLFLOW_HTTP_REQUEST_MAX_RETRIES=5, backoff factor 2: about 62 s
# of waiting in all) unless the environment sets them. Exits non-zero when a check fails.
#   tests/interop/mlflow-server-outage.sh      env: BACKEND (sqlite|file|postgresql), STEPS (900), KEYS (10), INTERVAL_MS (100),
#                                                   OUTAGE_AFTER (15), OUTAGE (30)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
backend=${BACKEND:-sqlite}
steps=${STEPS:-900}
keys=${KEYS:-10}
interval=${INTERVAL_MS:-100}
outage_after=${OUTAGE_AFTER:-15}
outage=${OUTAGE:-30}
work=$(mktemp -d)
source "$repo/tests/interop/mlflow-server-lib.sh"
trainer_pid=
cleanup() {
  [[ -n "$trainer_pid" ]] && kill "$trainer_pid" 2>/dev/null || true
  mlflow_stop
  [[ "$backend" == postgresql ]] && pg_cluster_stop
  rm -rf "$work"
}
trap cleanup EXIT
mlflow_setup "$work"

case "$backend" in
  sqlite) store="sqlite:///$work/mlflow.db" ;;
  file) store="$work/mlruns" ;;
  postgresql)
    mlflow_python -c 'import psycopg2' || { echo "BACKEND=postgresql needs Debian's python3-psycopg2 (MLflow's PostgreSQL driver)"; exit 2; }
    source "$repo/tests/interop/postgres-cluster-lib.sh"
    pg_cluster_start || exit 2
    store="$pg_base/mlflow" ;;
  *) echo "BACKEND must be sqlite, file or postgresql, not '$backend'"; exit 2 ;;
esac

echo "== build the training loop"
dotnet build "$repo/tests/interop/OutageTrainer" -warnaserror -v q -nologo >/dev/null
port=$(mlflow_free_port)
uri="http://127.0.0.1:$port"
echo "== $(date -u +%H:%M:%S) start MLflow $(mlflow_python -c 'import mlflow; print(mlflow.__version__)') at $uri on $backend ($store)"
mlflow_start "$store" "$port" "$work/server.log" "$work/artifacts" \
  --gunicorn-opts "--access-logfile $work/access.log --access-logformat '%(t)s %(m)s %(U)s %(s)s'"

echo "== $(date -u +%H:%M:%S) the training loop: $steps steps × $keys metrics through R.LogMetrics, one step every $interval ms"
dotnet "$repo/tests/interop/OutageTrainer/bin/Debug/net10.0/OutageTrainer.dll" "$uri" outage "$steps" "$keys" "$interval" \
  > >(tee "$work/trainer.log") 2>&1 &
trainer_pid=$!
for _ in $(seq 1 120); do grep -q 'started on' "$work/trainer.log" 2>/dev/null && break; sleep 0.5; done
sleep "$outage_after"
served_before=$(grep -c 'log-batch 200' "$work/access.log" || true)
echo "== $(date -u +%H:%M:%S) STOP the server ($served_before log-batch requests served so far); down for $outage s"
mlflow_stop
down_at=$(date +%s.%N)
sleep "$outage"
echo "== $(date -u +%H:%M:%S) RESTART the server on the same $backend backend and port"
mlflow_start "$store" "$port" "$work/server.log" "$work/artifacts" \
  --gunicorn-opts "--access-logfile $work/access.log --access-logformat '%(t)s %(m)s %(U)s %(s)s'"
echo "== $(date -u +%H:%M:%S) the server answers /health again: it was unreachable for $(/usr/bin/python3 -c "import time; print(f'{time.time() - $down_at:.1f}')") s"

rc=0
wait "$trainer_pid" || rc=$?
trainer_pid=
echo "== $(date -u +%H:%M:%S) the training loop exited with $rc; $(grep -c 'log-batch 200' "$work/access.log") log-batch requests served in all ($served_before before the outage)"
echo "== MLflow's Python client reads the run back"
mlflow_python "$repo/tests/interop/mlflow_outage_check.py" "$uri" outage "$steps" "$keys" || rc=1
echo "== result: $([[ $rc == 0 ]] && echo PASS || echo FAIL)"
exit "$rc"
