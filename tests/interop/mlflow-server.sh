#!/usr/bin/env bash
# Interop with a real MLflow 2.12 tracking server, checked by hand (CI replays tests/Fixtures/mlflow-rest-reference):
#   a real `mlflow server` (SQLite backend, --serve-artifacts, one worker) is started from MLflow's source; QuickStart
#   records a run into it with --uri http://127.0.0.1:PORT; MLflow's own Python client then reads that run back and
#   compares it with the same QuickStart (same seed) recorded into a local file store: every param, every step of every
#   metric, tags, status, and every artifact byte for byte (downloaded through the server's artifact proxy); finally
#   `qtrack experiments/runs/show/get --store http://…` read the server; and samples/AotModel, published with NativeAOT,
#   records and reloads (generated Load, LoadObject) a model through the server and prints exactly what the JIT build
#   prints on a local file store (SKIP_AOT=1 skips this part, the publish takes minutes).
# Needs MLflow 2.12 from source (MLFLOW_SRC, default /opt/mlflow-src) and Debian's python3 with its packages
# (reference/mlflow-backends.md §4). The server needs the PyPI module querystring_parser for GET routes; when it is not
# importable, a stand-in (urllib.parse.parse_qs) is written to a temp folder. Prints one line per check; exits non-zero
# when any differs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
mlflow_src=${MLFLOW_SRC:-/opt/mlflow-src}
work=$(mktemp -d)
server_pid=
cleanup() {
  # The server runs in its own session (setsid): its id is the group of mlflow and its gunicorn children.
  if [[ -n "$server_pid" ]]; then kill -- "-$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

pythonpath="$mlflow_src"
if ! PYTHONPATH="$mlflow_src" /usr/bin/python3 -c 'import querystring_parser' 2>/dev/null; then
  mkdir -p "$work/shim/querystring_parser"
  : > "$work/shim/querystring_parser/__init__.py"
  cat > "$work/shim/querystring_parser/parser.py" <<'PY'
# Stand-in for PyPI's querystring_parser: what MLflow's handlers need of parser.parse (a value, or a list when repeated).
from urllib.parse import parse_qs


def parse(query_string, normalized=False):
    if isinstance(query_string, bytes):
        query_string = query_string.decode("utf-8")
    return {k: (v[0] if len(v) == 1 else v) for k, v in parse_qs(query_string, keep_blank_values=True).items()}
PY
  pythonpath="$mlflow_src:$work/shim"
fi
python() { PYTHONPATH="$pythonpath" /usr/bin/python3 "$@"; }
python -c 'import mlflow; assert mlflow.__version__.startswith("2.12"), mlflow.__version__' \
  || { echo "real MLflow 2.12 is not importable from $mlflow_src"; exit 2; }

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
uri="http://127.0.0.1:$port"
echo "== start MLflow $(python -c 'import mlflow; print(mlflow.__version__)') server at $uri (SQLite, --serve-artifacts)"
(cd "$work" && PYTHONPATH="$pythonpath" exec setsid /usr/bin/python3 -m mlflow server \
    --backend-store-uri "sqlite:///$work/mlflow.db" --artifacts-destination "$work/artifacts" --serve-artifacts \
    --host 127.0.0.1 --port "$port" --workers 1 >"$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 90); do
  curl -sf "$uri/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the server exited:"; cat "$work/server.log"; exit 2; }
  sleep 1
done
curl -sf "$uri/health" >/dev/null || { echo "the server did not answer /health:"; tail -20 "$work/server.log"; exit 2; }

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
