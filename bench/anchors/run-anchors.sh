#!/usr/bin/env bash
# One sitting: real MLflow 2.12's side of each benchmark, then ours right after, then the ratio table (bench/README.md,
# "Comparing in one sitting"). Needs the MLflow source (default /opt/mlflow-src, or $MLFLOW_SRC; how to get it:
# /work/shared/reference/mlflow-backends.md §4) and a Release build of bench/Qlib.Tracked.Benchmarks.
#
#   bash bench/anchors/run-anchors.sh [OUT_DIR] [SEARCH_RUNS…]      # default OUT_DIR: a new temp folder; SEARCH_RUNS: 1000
#
# Every log and the table (table.md) stay in OUT_DIR. QTRK_BENCH_DIR (default OUT_DIR/qtrk) holds our stores; the
# generated search stores are reused from there on the next sitting. ANCHORS=file or ANCHORS=sqlite runs one half.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$(mktemp -d -t qtrk-anchors-XXXXXX)}
shift || true
search_runs=("${@:-1000}")
mlflow_src=${MLFLOW_SRC:-/opt/mlflow-src}
bench="$repo/bench/Qlib.Tracked.Benchmarks/bin/Release/net10.0/Qlib.Tracked.Benchmarks.dll"
halves=${ANCHORS:-file sqlite}

if [ ! -f "$mlflow_src/mlflow/__init__.py" ]; then
  echo "error: no MLflow source at $mlflow_src (set MLFLOW_SRC; see /work/shared/reference/mlflow-backends.md §4)" >&2
  exit 2
fi
if [ ! -f "$bench" ]; then
  echo "error: $bench is missing: dotnet build bench/Qlib.Tracked.Benchmarks -c Release -warnaserror" >&2
  exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
if git -C "$out" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "error: $out is inside a git work tree; give an OUT_DIR outside it (see the note on mlflow() below)" >&2
  exit 2
fi
cp "$here/mlflow_filestore_anchor.py" "$repo/bench/mlflow_sqlite_baseline.py" "$out/"
export QTRK_BENCH_DIR=${QTRK_BENCH_DIR:-$out/qtrk}
# Our benchmark stores stay in OUT_DIR (delete it when done): removing thousands of files when a benchmark process
# exits slows the next process's file creation on this VM's ext4 for ~30 s (bench/README.md, "Session 4"), which
# would land on whichever side runs next.
export QTRK_BENCH_KEEP_STORES=${QTRK_BENCH_KEEP_STORES:-1}
mkdir -p "$QTRK_BENCH_DIR"
# MLflow runs from OUT_DIR with its own copy of the scripts: started inside a git work tree, its fluent start_run
# would read the repository for the source tags on every run, which ours does not do (source capture is off in
# the benchmark), and a sitting must time the same work on both sides.
mlflow() { (cd "$out" && PYTHONPATH="$mlflow_src" /usr/bin/python3 "$@"); }
ours() { dotnet "$bench" "$@"; }
stamp() { echo "$(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): $*" | tee -a "$out/sitting.log"; }

echo "sitting $(date -u +%Y-%m-%d) in $out; commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cores" | tee "$out/sitting.log"

if [[ " $halves " == *" file "* ]]; then
  # The search stores are written once (not timed) so that both sides search the same files.
  stores=()
  for n in "${search_runs[@]}"; do
    stamp "generating (or reusing) the ${n}-run search store"
    ours --search-generate "$n" >> "$out/generate.log"
    stores+=("$QTRK_BENCH_DIR/qtrk-search-stores/runs-$n/mlruns")
  done
  stamp "MLflow file store: log_metric, log_batch, start/end run, create/terminate run, history, search ${search_runs[*]}"
  mlflow mlflow_filestore_anchor.py "$out/mlflow-file" "${stores[@]}" | tee "$out/mlflow-file.log"
  # The file system's floor for create + end, before and after ours (it moves with the disk's state minute by minute;
  # ratios.py takes the faster of the two: a floor is the least the file system needs).
  stamp "the file system alone: create + end's system calls (bench/filestore_create_end_bound.py)"
  (cd "$out" && /usr/bin/python3 "$repo/bench/filestore_create_end_bound.py" "$QTRK_BENCH_DIR" 2000 ours) | tee "$out/bound-file.log"
  stamp "ours, file store: --quick PerCallLogging BatchLogging RunCreation MetricHistory"
  ours --quick PerCallLogging.R_ PerCallLogging.Recorder_ BatchLogging.Client_ RunCreation.R_ RunCreation.Client_ \
    MetricHistory.Client_ | tee "$out/ours-file.log"
  stamp "the file system alone: create + end's system calls (bench/filestore_create_end_bound.py)"
  (cd "$out" && /usr/bin/python3 "$repo/bench/filestore_create_end_bound.py" "$QTRK_BENCH_DIR" 2000 ours) | tee -a "$out/bound-file.log"
  stamp "ours, file store: --search ${search_runs[*]}"
  ours --search "${search_runs[@]}" | tee "$out/ours-search.log"
fi

if [[ " $halves " == *" sqlite "* ]]; then
  stamp "MLflow SQLite store: bench/mlflow_sqlite_baseline.py (search over 10,000 runs)"
  mkdir -p "$out/mlflow-sqlite"
  mlflow mlflow_sqlite_baseline.py "$out/mlflow-sqlite" 10000 | tee "$out/mlflow-sqlite.log"
  stamp "ours, SQLite: --quick (QTRK_BENCH_URI=sqlite)"
  QTRK_BENCH_URI=sqlite ours --quick PerCallLogging.R_ BatchLogging.Client_ RunCreation.Client_ MetricHistory.Client_ \
    | tee "$out/ours-sqlite.log"
  stamp "ours, SQLite: --sql-search 10000"
  QTRK_BENCH_URI=sqlite ours --sql-search 10000 | tee "$out/ours-sql-search.log"
fi
stamp "done"

python3 "$here/ratios.py" "$out" | tee "$out/table.md"
