#!/usr/bin/env bash
# Interop with a real MLflow 2.12 tracking server, checked by hand (CI replays tests/Fixtures/mlflow-rest-reference):
#   a real `mlflow server` (SQLite backend, --serve-artifacts, one worker) is started from MLflow's source; QuickStart
#   records a run into it with --uri http://127.0.0.1:PORT; MLflow's own Python client then reads that run back and
#   compares it with the same QuickStart (same seed) recorded into a local file store: every param, every step of every
#   metric, tags, status, and every artifact byte for byte (downloaded through the server's artifact proxy); finally
#   `qtrack experiments/runs/show/get --store http://…` read the server; and samples/AotModel, published with NativeAOT,
#   records and reloads (generated Load, LoadObject) a model through the server and prints exactly what the JIT build
#   prints on a local file store (SKIP_AOT=1 skips this part, the publish takes minutes).
# BACKEND=postgresql runs the server on a throwaway PostgreSQL cluster (tests/interop/postgres-cluster-lib.sh;
# `mlflow server --backend-store-uri postgresql://…`, needs Debian's python3-psycopg2) instead of SQLite.
# Needs MLflow 2.12 from source (MLFLOW_SRC, default /opt/mlflow-src) and Debian's python3 with its packages
# (reference/mlflow-backends.md §4). The server needs the PyPI module querystring_parser for GET routes; when it is not
# importable, a stand-in (urllib.parse.parse_qs) is written to a temp folder. Prints one line per check; exits non-zero
# when any differs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
backend=${BACKEND:-sqlite}
work=$(mktemp -d)
source "$repo/tests/interop/mlflow-server-lib.sh"
cleanup() {
  mlflow_stop
  [[ "$backend" == postgresql ]] && pg_cluster_stop
  rm -rf "$work"
}
trap cleanup EXIT
mlflow_setup "$work"
python() { mlflow_python "$@"; }

case "$backend" in
  sqlite) store="sqlite:///$work/mlflow.db" ;;
  postgresql)
    python -c 'import psycopg2' || { echo "BACKEND=postgresql needs Debian's python3-psycopg2 (MLflow's PostgreSQL driver)"; exit 2; }
    source "$repo/tests/interop/postgres-cluster-lib.sh"
    pg_cluster_start || exit 2
    store="$pg_base/mlflow" ;;
  *) echo "BACKEND must be sqlite or postgresql, not '$backend'"; exit 2 ;;
esac

port=$(mlflow_free_port)
uri="http://127.0.0.1:$port"
echo "== start MLflow $(python -c 'import mlflow; print(mlflow.__version__)') server at $uri ($backend: $store, --serve-artifacts)"
cd "$work"
mlflow_start "$store" "$port" "$work/server.log" "$work/artifacts"

echo "== build QuickStart and qtrack"
dotnet build "$repo/samples/QuickStart" -v q -nologo >/dev/null
dotnet build "$repo/src/Cli/Qlib.Tracked.Cli.csproj" -v q -nologo >/dev/null
qtrack="$repo/src/Cli/bin/Debug/net10.0/qtrack"

echo "== QuickStart records into the server, and (same seed) into a local file store for reference"
mkdir -p "$work/run" "$work/ref"
(cd "$work/run" && dotnet run --project "$repo/samples/QuickStart" --no-build -- --uri "$uri" --seed 7 --instruments 30 --days 60 | head -2)
(cd "$work/ref" && dotnet run --project "$repo/samples/QuickStart" --no-build -- --uri "$work/ref/mlruns" --seed 7 --instruments 30 --days 60 >/dev/null)

echo "== MLflow's Python client reads the run back from the server"
rc=0
(cd "$work" && python "$repo/tests/interop/mlflow_server_check.py" "$uri" "$work/ref/mlruns" quickstart) || rc=1

echo "== qtrack reads the server"
run_id=$("$qtrack" runs --store "$uri" --experiment quickstart | awk 'NR==3 {print $1}')
check() { if "$@"; then echo "ok   ${label}"; else echo "FAIL ${label}"; rc=1; fi; }
label="qtrack experiments lists quickstart"; check grep -q quickstart <("$qtrack" experiments --store "$uri")
label="qtrack runs finds run $run_id (FINISHED)"; check grep -q "$run_id.*FINISHED" <("$qtrack" runs --store "$uri" --experiment quickstart)
label="qtrack show lists its proxied artifacts"; check grep -q "pred.parquet" <("$qtrack" show "$run_id" --store "$uri")
"$qtrack" get "$run_id" pred.parquet --store "$uri" --out "$work/pred.parquet" >/dev/null
label="qtrack get copies pred.parquet byte for byte"; check cmp -s "$work/pred.parquet" "$work/artifacts/1/$run_id/artifacts/pred.parquet"

if [[ "${SKIP_AOT:-0}" != 1 ]]; then
  echo "== AotModel: NativeAOT build through the server vs the JIT build on a local file store"
  dotnet publish "$repo/samples/AotModel" -c Release -r linux-x64 -o "$work/aot" >"$work/publish.log" 2>&1
  label="NativeAOT publish has no trim/AOT warning of ours"
  check test -z "$(grep -E 'warning IL[0-9]+' "$work/publish.log" | grep -vE 'IL2104|IL3053')"
  dotnet build "$repo/samples/AotModel" -c Release -o "$work/jit" -v q -nologo >/dev/null
  normalise() { sed -E 's/[0-9a-f]{32}/<run_id>/g'; }
  (mkdir -p "$work/aot-http" && cd "$work/aot-http" && "$work/aot/AotModel" --uri "$uri") | normalise >"$work/aot-http.txt"
  (mkdir -p "$work/jit-file" && cd "$work/jit-file" && dotnet "$work/jit/AotModel.dll") | normalise >"$work/jit-file.txt"
  label="NativeAOT over http:// prints what JIT prints on a file store ($(wc -l <"$work/aot-http.txt") lines: params, metric history, reloaded model and artifacts)"
  check diff -u "$work/jit-file.txt" "$work/aot-http.txt"
  label="the AotModel run is FINISHED on the server"
  check grep -q "FINISHED" <("$qtrack" runs --store "$uri" --experiment aot_model)
fi
exit "$rc"
