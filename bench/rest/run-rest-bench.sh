#!/usr/bin/env bash
# Issue 14's benchmark against a REAL MLflow 2.12 tracking server (one gunicorn worker, SQLite), in one sitting.
# Each round starts a fresh server on a fresh SQLite file and runs, back to back on it:
#   1. ceiling  the server's log-batch ceiling, measured by bench/Qlib.Tracked.LoadGen (1,000-point log-batch, 1 and 8 clients)
#   2. ours     R.LogMetrics / Recorder.LogMetric (buffered) and TrackingClient.LogBatch over http:// (--rest-logging)
#   3. python   MLflow's Python client: per-call log_metric, and log_batch for reference
#   4. ceiling  again, so our figures sit between two ceiling measurements on the same server and database
# then stops it. ROUNDS rounds (default 3); bench/rest/summarize.py prints medians and the per-round ratios (ours over
# the mean of the round's two 1-client ceilings). The server writes gunicorn's access log (request time per request).
# Needs MLflow 2.12 from source (MLFLOW_SRC, default /opt/mlflow-src) and Debian's python3 (reference/mlflow-backends.md §4).
#   bench/rest/run-rest-bench.sh [ROUNDS] [OUT_DIR]
#   env: POINTS (ours, per side; default 30000), SECONDS_EACH (load generator, per measurement; 10), PY_CALLS (log_metric calls; 500)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-3}
out=${2:-$(mktemp -d /tmp/rest-bench.XXXXXX)}
points=${POINTS:-30000}
seconds_each=${SECONDS_EACH:-10}
py_calls=${PY_CALLS:-500}
mkdir -p "$out"
source "$repo/tests/interop/mlflow-server-lib.sh"
trap mlflow_stop EXIT
mlflow_setup "$out"

echo "== build (Release): load generator and benchmarks" >&2
dotnet build "$repo/bench/Qlib.Tracked.LoadGen" -c Release -warnaserror -v q -nologo >/dev/null
dotnet build "$repo/bench/Qlib.Tracked.Benchmarks" -c Release -warnaserror -v q -nologo >/dev/null
loadgen="dotnet $repo/bench/Qlib.Tracked.LoadGen/bin/Release/net10.0/Qlib.Tracked.LoadGen.dll"
bench="dotnet $repo/bench/Qlib.Tracked.Benchmarks/bin/Release/net10.0/Qlib.Tracked.Benchmarks.dll"

results="$out/results.tsv"
: > "$results"
# The three sides; each is given the server's URL in $URI.
ceiling() { $loadgen --url "$URI" --workloads log-batch --clients 1,8 --seconds "$seconds_each"; }
ours() { $bench --rest-logging "$URI" "$points"; }
python_client() { mlflow_python "$repo/bench/rest/python_client.py" "$URI" "$py_calls" 20000; }

# side NAME FUNCTION: runs it against $URI; its tagged lines go to results.tsv with the round, the side's name and the
# 1-minute load average; the full output stays in $out/r<round>/<name>.txt.
side() {
  local name=$1 function=$2 load
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "== round $round: $name at $(date -u +%H:%M:%S) UTC, load average $load" >&2
  "$function" >"$dir/$name.txt" 2>&1 || { echo "$name failed:" >&2; tail -20 "$dir/$name.txt" >&2; return 1; }
  grep -E '^(RESULT|REST|PY)' "$dir/$name.txt" | sed "s/^/$round\t$name\t$load\t/" | tee -a "$results" >&2
}

echo "== $(date -u '+%Y-%m-%d %H:%M:%S') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); results in $out" >&2
for round in $(seq 1 "$rounds"); do
  dir="$out/r$round"; mkdir -p "$dir"
  port=$(mlflow_free_port)
  mlflow_start "sqlite:///$dir/mlflow.db" "$port" "$dir/server.log" "" \
    --gunicorn-opts "--access-logfile $dir/access.log --access-logformat '%(m)s %(U)s %(s)s %(L)s'"
  URI="http://127.0.0.1:$port"
  side ceiling-before ceiling
  side ours ours
  side python python_client
  side ceiling-after ceiling
  mlflow_stop
done
echo "== done $(date -u '+%H:%M:%S') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
/usr/bin/python3 "$repo/bench/rest/summarize.py" "$results"
