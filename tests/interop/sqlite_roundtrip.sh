#!/usr/bin/env bash
# Interop with real MLflow 2.12 through SQLite, checked by hand (CI checks the fixture database instead):
#   A) QuickStart writes sqlite:///…/mlflow.db; real MLflow reads every param, metric history, tag and status back,
#      searches it, and writes a run of its own that `qtrack runs` then finds;
#   B) real MLflow writes a database and runs its searches; `qtrack runs --store sqlite:///…` answers each the same;
#   C) real MLflow (one log_metric per call) and QuickStart write the same file at the same time; nothing is lost.
#   (Our store switches the file to WAL on its first write: A and C check MLflow reads and writes it so, also while we write.)
# Needs MLflow 2.12 from source (MLFLOW_SRC, default /opt/mlflow-src) and Debian's python3 with its packages
# (reference/mlflow-backends.md §4). Prints one line per check; exits non-zero when any differs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
mlflow_src=${MLFLOW_SRC:-/opt/mlflow-src}
python() { PYTHONPATH="$mlflow_src" /usr/bin/python3 "$@"; }
python -c 'import mlflow; assert mlflow.__version__.startswith("2.12"), mlflow.__version__' \
  || { echo "real MLflow 2.12 is not importable from $mlflow_src"; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== build QuickStart and qtrack"
dotnet build "$repo/samples/QuickStart" -v q -nologo >/dev/null
dotnet build "$repo/src/Cli/Qlib.Tracked.Cli.csproj" -v q -nologo >/dev/null
export QTRACK="$repo/src/Cli/bin/Debug/net10.0/qtrack"

echo "== A: QuickStart writes SQLite (two runs), real MLflow reads it"
mkdir -p "$work/a"
for seed in 1 2; do
  (cd "$work/a" && dotnet run --project "$repo/samples/QuickStart" --no-build -- \
      --uri "sqlite:///$work/a/mlflow.db" --seed "$seed" --instruments 30 --days 60 >/dev/null)
done
rc=0
(cd "$work/a" && python "$repo/tests/interop/sqlite_roundtrip.py" a "$work/a/mlflow.db") || rc=1

echo "== B: real MLflow writes SQLite, qtrack searches it"
mkdir -p "$work/b"
(cd "$work/b" && python "$repo/tests/interop/sqlite_roundtrip.py" b "$work/b/mlflow.db") || rc=1
echo "== C: real MLflow and QuickStart write one SQLite file (ours) at the same time"
mkdir -p "$work/c"
quickstart_c() {
  (cd "$work/c" && dotnet run --project "$repo/samples/QuickStart" --no-build -- \
      --uri "sqlite:///$work/c/mlflow.db" --seed "$1" --instruments 30 --days 60 >/dev/null)
}
quickstart_c 3 || rc=1   # our store creates the database
(cd "$work/c" && python "$repo/tests/interop/sqlite_roundtrip.py" c-write "$work/c/mlflow.db") &
writer=$!
for seed in 4 5 6; do quickstart_c "$seed" || rc=1; done
wait "$writer" || rc=1
(cd "$work/c" && python "$repo/tests/interop/sqlite_roundtrip.py" c-check "$work/c/mlflow.db") || rc=1
exit "$rc"
