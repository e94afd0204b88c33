#!/usr/bin/env bash
# Issue 15's benchmark: `qtrack server` against a REAL MLflow 2.12 tracking server (`mlflow server --workers 1`, as
# reference/mlflow-backends.md §4 runs it) on the same backend, machine and sitting, driven by the same load generator
# (bench/Qlib.Tracked.LoadGen) with the same arguments: log-batch (1,000 points), runs/search over RUNS runs,
# metrics/get-history of HISTORY_POINTS points and runs/create+runs/update, with 1 and with 8 clients.
#
# The search and history data are made ONCE: a throwaway `qtrack server` on a seed store, filled by the load generator's
# setup phase through the REST API (`--data-name bench`: RUNS × runs/create + runs/log-batch with 8 clients, then
# HISTORY_POINTS/1,000 log-batches of one metric). For each server measured, the seed store is copied to a fresh folder
# and the server started on the copy, so both read the very same rows (the SQL store writes MLflow's schema at MLflow
# 2.12's alembic revision; the file store writes MLflow's layout) and MLflow's slow setup (~20,000 requests) stays out
# of the sitting. log-batch and create-update write into fresh experiments of each copy.
#
#   bench/server/run-server-bench.sh [OUT_DIR]
#   env: BACKEND (sqlite | file; default sqlite), SERVERS (order; default "mlflow qtrack"), SECONDS_EACH (per
#        measurement; 15), RUNS (10000), HISTORY_POINTS (100000), CLIENTS (1,8), WORKLOADS (the load generator's
#        --workloads; default all four), BASE_QTRACK_DLL (a qtrack.dll built from another commit: SERVERS may then
#        name "qtrack-base", measured like "qtrack" in the same sitting — a before/after on the same data),
#        WARM_SECONDS (a discarded pass of every workload with 1 client, this long each, before measuring a server: qtrack's
#        JIT compiles and tiers up its hot paths in it, MLflow's server imports and caches; 0 = none, as before Session 8; 5)
# Then bench/server/summarize.py OUT_DIR prints the ratio table (it is also printed at the end).
# Needs MLflow 2.12 from source (MLFLOW_SRC, default /opt/mlflow-src) and Debian's python3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$(mktemp -d /tmp/server-bench.XXXXXX)}
backend=${BACKEND:-sqlite}
servers=${SERVERS:-mlflow qtrack}
seconds_each=${SECONDS_EACH:-15}
runs=${RUNS:-10000}
history_points=${HISTORY_POINTS:-100000}
clients=${CLIENTS:-1,8}
workloads=${WORKLOADS:-log-batch,search,history,create-update}
base_dll=${BASE_QTRACK_DLL:-}
warm_seconds=${WARM_SECONDS:-5}
case "$backend" in sqlite | file) ;; *) echo "BACKEND '$backend' is not sqlite or file" >&2; exit 2 ;; esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
source "$repo/tests/interop/mlflow-server-lib.sh"

qtrack_pid=
qtrack_stop() {
  # SIGTERM: qtrack server finishes requests in flight and closes the store (a SQLite WAL is checkpointed).
  if [[ -n "$qtrack_pid" ]]; then kill "$qtrack_pid" 2>/dev/null || true; wait "$qtrack_pid" 2>/dev/null || true; qtrack_pid=; fi
}
trap 'mlflow_stop; qtrack_stop' EXIT
mlflow_setup "$out"

echo "== build (Release): qtrack and the load generator" >&2
dotnet build "$repo/src/Cli" -c Release -warnaserror -v q -nologo >/dev/null
dotnet build "$repo/bench/Qlib.Tracked.LoadGen" -c Release -warnaserror -v q -nologo >/dev/null
qtrack_dll="$repo/src/Cli/bin/Release/net10.0/qtrack.dll"
loadgen=(dotnet "$repo/bench/Qlib.Tracked.LoadGen/bin/Release/net10.0/Qlib.Tracked.LoadGen.dll")

# store_uri DIR: the backend store URI of a store folder DIR.
store_uri() { if [[ $backend == sqlite ]]; then echo "sqlite:///$1/mlflow.db"; else echo "$1/mlruns"; fi; }

qtrack_start() {
  local uri=$1 port=$2 log=$3 artifacts=$4 dll=${5:-$qtrack_dll}
  dotnet "$dll" server --backend-store-uri "$uri" --artifacts-destination "$artifacts" --port "$port" >>"$log" 2>&1 &
  qtrack_pid=$!
  wait_for_health "$port" "$qtrack_pid" "$log" "qtrack server" || { qtrack_pid=; return 2; }
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "== $(date -u '+%Y-%m-%d %H:%M:%S') UTC, $(nproc) cores, load average $(load); backend $backend; results in $out" >&2

# The seed: search and history data, made once through a throwaway qtrack server.
seed="$out/seed"; mkdir -p "$seed"
port=$(mlflow_free_port)
qtrack_start "$(store_uri "$seed")" "$port" "$seed/server.log" "$seed/artifacts"
echo "== seed: $runs runs and a $history_points-point metric through qtrack server at $(date -u +%H:%M:%S) UTC" >&2
"${loadgen[@]}" --url "http://127.0.0.1:$port" --workloads search,history --clients 8 --seconds 0.1 --warmup 0 \
  --runs "$runs" --history-points "$history_points" --data-name bench >"$seed/loadgen.txt" 2>&1 \
  || { echo "seeding failed:" >&2; tail -20 "$seed/loadgen.txt" >&2; exit 1; }
grep '^# setup' "$seed/loadgen.txt" >&2
qtrack_stop

# Each server: a copy of the seed, the server on it, the load generator (same arguments), the server stopped.
for server in $servers; do
  dir="$out/$server"; rm -rf "$dir"; mkdir -p "$dir"
  cp -a "$seed/." "$dir/"; rm -f "$dir/server.log" "$dir/loadgen.txt"
  port=$(mlflow_free_port)
  case "$server" in
    mlflow) mlflow_start "$(store_uri "$dir")" "$port" "$dir/server.log" "$dir/artifacts" ;;
    qtrack) qtrack_start "$(store_uri "$dir")" "$port" "$dir/server.log" "$dir/artifacts" ;;
    qtrack-base)
      [[ -f "$base_dll" ]] || { echo "qtrack-base needs BASE_QTRACK_DLL (a built qtrack.dll), got '$base_dll'" >&2; exit 2; }
      qtrack_start "$(store_uri "$dir")" "$port" "$dir/server.log" "$dir/artifacts" "$base_dll" ;;
    *) echo "unknown server '$server' (mlflow, qtrack or qtrack-base)" >&2; exit 2 ;;
  esac
  if [[ $warm_seconds != 0 ]]; then
    echo "== $server: warm-up pass ($warm_seconds s per workload, 1 client, discarded) from $(date -u +%H:%M:%S) UTC" >&2
    "${loadgen[@]}" --url "http://127.0.0.1:$port" --workloads "$workloads" --clients 1 --seconds "$warm_seconds" --warmup 0 \
      --runs "$runs" --history-points "$history_points" --data-name bench >"$dir/warm.txt" 2>&1 \
      || { echo "$server: the warm-up pass failed:" >&2; tail -20 "$dir/warm.txt" >&2; exit 1; }
  fi
  echo "== $server: start $(date -u +%H:%M:%S) UTC, load average $(load)" >&2
  echo "load-start $(load)" >"$dir/load.txt"
  "${loadgen[@]}" --url "http://127.0.0.1:$port" --workloads "$workloads" --clients "$clients" --seconds "$seconds_each" --warmup 1 \
    --runs "$runs" --history-points "$history_points" --data-name bench >"$dir/loadgen.txt" 2>&1 \
    || { echo "$server: the load generator failed:" >&2; tail -20 "$dir/loadgen.txt" >&2; exit 1; }
  echo "load-end $(load)" >>"$dir/load.txt"
  grep '^RESULT' "$dir/loadgen.txt" >&2
  echo "== $server: end $(date -u +%H:%M:%S) UTC, load average $(load)" >&2
  [[ $server == mlflow ]] && mlflow_stop || qtrack_stop
done
echo "== done $(date -u '+%H:%M:%S') UTC, load average $(load)" >&2
/usr/bin/python3 "$repo/bench/server/summarize.py" "$out"
