#!/usr/bin/env bash
# Interop of `qtrack server` with the REAL MLflow 2.12 Python client, checked by hand (CI replays
# tests/Fixtures/mlflow-rest-reference against the server instead): starts `qtrack server` on a SQLite backend
# (artifacts served through its proxy), runs tests/interop/qtrack_server_check.py with MLflow's own client against it
# (a workload like the fixture's plus Qlib-style fluent logging and dataset inputs, each read back and checked), then
# stops the server with SIGTERM, checks it exits cleanly, and has MLflow's own store (file, SQLAlchemy) read the dataset
# inputs the server wrote (tests/interop/qtrack_inputs_readback.py). BACKEND=file uses a folder store instead of SQLite; BACKEND=postgresql a
# throwaway PostgreSQL cluster (Debian's server binaries; run as root, the cluster runs as the postgres user).
# Needs MLflow 2.12 from source (MLFLOW_SRC, default /opt/mlflow-src) and Debian's python3 with its packages
# (reference/mlflow-backends.md §4); the client needs no PyPI module beyond those. Exits non-zero when any check fails.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
mlflow_src=${MLFLOW_SRC:-/opt/mlflow-src}
work=$(mktemp -d)
server_pid=
pg_bin=
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ -n "$pg_bin" ]]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python() { PYTHONPATH="$mlflow_src" /usr/bin/python3 "$@"; }
python -c 'import mlflow; assert mlflow.__version__.startswith("2.12"), mlflow.__version__' \
  || { echo "real MLflow 2.12 is not importable from $mlflow_src"; exit 2; }

qtrack_dll=${QTRACK_DLL:-}
if [[ -z "$qtrack_dll" ]]; then
  echo "== build qtrack"
  dotnet build "$repo/src/Cli/Qlib.Tracked.Cli.csproj" -c Release -warnaserror -v quiet -nologo >/dev/null
  qtrack_dll="$repo/src/Cli/bin/Release/net10.0/qtrack.dll"
fi

case "${BACKEND:-sqlite}" in
  sqlite) backend="sqlite:///$work/mlflow.db" ;;
  file) backend="$work/mlruns" ;;
  postgresql)
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort | tail -1)
    chmod 755 "$work" && mkdir "$work/pg" && chown postgres:postgres "$work/pg"
    pg_port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -o \
      "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    backend="postgresql://postgres:unused@127.0.0.1:$pg_port/postgres" ;;
  *) echo "BACKEND must be sqlite, file or postgresql"; exit 2 ;;
esac
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
uri="http://127.0.0.1:$port"
echo "== start qtrack server at $uri ($backend, artifacts served from $work/artifacts)"
dotnet "$qtrack_dll" server --backend-store-uri "$backend" --artifacts-destination "$work/artifacts" --port "$port" \
  > "$work/server.out" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  if curl -fsS "$uri/health" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -fsS "$uri/health" >/dev/null || { echo "qtrack server did not start:"; cat "$work/server.out" "$work/server.log"; exit 1; }

echo "== MLflow's Python client against qtrack server"
status=0
BACKEND=${BACKEND:-sqlite} QTRACK_INPUTS_OUT="$work/inputs.json" python "$repo/tests/interop/qtrack_server_check.py" "$uri" || status=$?

echo "== stop with SIGTERM"
kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
server_pid=
if [[ $code -eq 0 ]] && grep -q "qtrack server: stopped." "$work/server.out"; then echo "ok   server stopped cleanly"; else echo "FAIL server exit code $code"; status=1; fi
if [[ -f "$work/inputs.json" ]]; then
  echo "== MLflow's own store reads what qtrack server wrote (the server is stopped)"
  python "$repo/tests/interop/qtrack_inputs_readback.py" "$backend" "$work/inputs.json" || status=1
else
  echo "FAIL the check script wrote no inputs to read back"; status=1
fi
echo "== server log: $(wc -l < "$work/server.log") request lines, e.g.:"
head -3 "$work/server.log"
grep -E " 5[0-9][0-9] " "$work/server.log" | head -5 || true
exit $status
