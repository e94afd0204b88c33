#!/usr/bin/env bash
# Issue 14's benchmark against a REAL MLflow 2.12 tracking server (one gunicorn worker, SQLite), in one sitting.
# Each round starts a fresh server on a fresh SQLite file and runs, back to back on it, each of our sides between two
# measurements of the server's ceiling (so load that changes during the round moves both):
#   ceiling, R.LogMetrics, ceiling, Recorder.LogMetric, ceiling, TrackingClient.LogBatch, ceiling, Python client, ceiling,
#   ceiling with 8 clients
# where ceiling = bench/Qlib.Tracked.LoadGen's 1,000-point log-batch with 1 client (our logging uses one connection),
# ours = `--rest-logging URI POINTS r|recorder|client` over http:// (buffered R.LogMetrics / Recorder.LogMetric, batched
# TrackingClient.LogBatch), and the Python client = MLflow's per-call log_metric (and log_batch for reference); then
# stops it. ROUNDS rounds (default 3); bench/rest/summarize.py prints medians and the per-round ratios (each figure over
# the mean of the two ceilings around it). The server writes gunicorn's access log (time per request, in seconds).
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
ceiling() { $loadgen --url "$URI" --workloads log-batch --clients 1 --seconds "$seconds_each" --warmup 2; }
ceiling8() { $loadgen --url "$URI" --workloads log-batch --clients 8 --seconds "$seconds_each" --warmup 1; }
ours_r() { $bench --rest-logging "$URI" "$points" r; }
ours_recorder() { $bench --rest-logging "$URI" "$points" recorder; }
ours_client() { $bench --rest-logging "$URI" "$points" client; }
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
  side ceiling-0 ceiling
  side ours-r ours_r
  side ceiling-1 ceiling
  side ours-recorder ours_recorder
  side ceiling-2 ceiling
  side ours-client ours_client
  side ceiling-3 ceiling
  side python python_client
  side ceiling-4 ceiling
  side ceiling-8-clients ceiling8
  mlflow_stop
done
echo "== done $(date -u '+%H:%M:%S') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
/usr/bin/python3 "$repo/bench/rest/summarize.py" "$results"
