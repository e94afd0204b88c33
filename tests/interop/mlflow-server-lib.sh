# Sourced by the scripts that run a real MLflow 2.12 tracking server from source (reference/mlflow-backends.md §4):
# tests/interop/mlflow-server.sh, tests/interop/mlflow-server-outage.sh, bench/rest/run-rest-bench.sh.
#   mlflow_setup WORK        checks MLflow is importable; writes the querystring_parser stand-in under WORK when missing
#   mlflow_python ARGS…      Debian's python3 with MLflow (and the stand-in) on PYTHONPATH
#   mlflow_free_port         prints a free loopback port
#   mlflow_start BACKEND_URI PORT LOG [ARTIFACTS [MORE…]]   starts `mlflow server --workers 1` in its own session
#                            (ARTIFACTS: --artifacts-destination and --serve-artifacts; MORE: further options); sets mlflow_pid; returns once /health answers (non-zero if it exits or does not answer in 90 s)
#   mlflow_stop              stops the server's whole session (mlflow and its gunicorn children) and waits for it
mlflow_src=${MLFLOW_SRC:-/opt/mlflow-src}
mlflow_pythonpath="$mlflow_src"
mlflow_pid=

mlflow_setup() {
  local work=$1
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
    mlflow_pythonpath="$mlflow_src:$work/shim"
  fi
  mlflow_python -c 'import mlflow; assert mlflow.__version__.startswith("2.12"), mlflow.__version__' \
    || { echo "real MLflow 2.12 is not importable from $mlflow_src"; return 2; }
}

mlflow_python() { PYTHONPATH="$mlflow_pythonpath" /usr/bin/python3 "$@"; }

mlflow_free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

mlflow_start() {
  local backend=$1 port=$2 log=$3 artifacts=${4:-}
  local extra=()
  [[ -n "$artifacts" ]] && extra=(--artifacts-destination "$artifacts" --serve-artifacts)
  (($# > 4)) && extra+=("${@:5}")
  (PYTHONPATH="$mlflow_pythonpath" exec setsid /usr/bin/python3 -m mlflow server --backend-store-uri "$backend" "${extra[@]}" \
      --host 127.0.0.1 --port "$port" --workers 1 >>"$log" 2>&1) &
  mlflow_pid=$!
  wait_for_health "$port" "$mlflow_pid" "$log" "the MLflow server" || { mlflow_pid=; return 2; }
}

# wait_for_health PORT PID LOG NAME: 0 once http://127.0.0.1:PORT/health answers; 2 (with the log's tail) when the
# process PID exits first or 90 s pass. Shared by every script here and in bench/ that starts a server.
wait_for_health() {
  local port=$1 pid=$2 log=$3 name=$4 _
  for _ in $(seq 1 90); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$name exited:"; tail -20 "$log"; return 2; }
    sleep 1
  done
  echo "$name did not answer /health in 90 s:"; tail -20 "$log"; return 2
}

mlflow_stop() {
  # The server runs in its own session (setsid): its id is the group of mlflow and its gunicorn children.
  if [[ -n "$mlflow_pid" ]]; then
    kill -- "-$mlflow_pid" 2>/dev/null || true
    wait "$mlflow_pid" 2>/dev/null || true
    # gunicorn's worker can outlive the master by a moment; wait until the group is gone.
    local _
    for _ in $(seq 1 50); do kill -0 -- "-$mlflow_pid" 2>/dev/null || break; sleep 0.1; done
    mlflow_pid=
  fi
}
