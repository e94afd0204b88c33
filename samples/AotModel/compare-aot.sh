#!/usr/bin/env bash
# Publishes samples/AotModel with NativeAOT, runs the native binary and the JIT build on fresh stores (a file
# store, then a sqlite:/// one), and checks that both print the same thing (run ids normalised). Exit 0 when they match.
# Usage: samples/AotModel/compare-aot.sh   (from anywhere; needs the .NET SDK and gcc)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet publish "$root/samples/AotModel" -c Release -r linux-x64 -o "$work/aot" 2>&1 | tee "$work/publish.log" >/dev/null
# Any IL (trim/AOT) warning naming Qlib.Tracked, the sample or generated code fails the check;
# third-party assembly summaries (IL2104/IL3053 for MemoryPack.Core, Parquet) are tolerated.
if grep -E "warning IL[0-9]+" "$work/publish.log" | grep -vE "IL2104|IL3053" | grep -q .; then
  echo "AOT publish produced trim/AOT warnings:"; grep -E "warning IL[0-9]+" "$work/publish.log" | sort -u; exit 1
fi
test -x "$work/aot/AotModel"
dotnet build "$root/samples/AotModel" -c Release -o "$work/jit" >/dev/null

normalise() { sed -E 's/[0-9a-f]{32}/<run_id>/g'; }
(mkdir -p "$work/run-aot" && cd "$work/run-aot" && "$work/aot/AotModel") | normalise > "$work/aot.txt"
(mkdir -p "$work/run-jit" && cd "$work/run-jit" && dotnet "$work/jit/AotModel.dll") | normalise > "$work/jit.txt"
test -d "$work/run-aot/mlruns"

if diff -u "$work/jit.txt" "$work/aot.txt"; then
  echo "AOT output equals JIT output ($(wc -l < "$work/aot.txt") lines)."
else
  echo "AOT output differs from JIT output."; exit 1
fi

# The same on MLflow's SQL store (SQLite through Microsoft.Data.Sqlite's native library): both builds must print
# what they printed on the file store, and the database must exist where the relative URI says.
(mkdir -p "$work/sql-aot" && cd "$work/sql-aot" && "$work/aot/AotModel" --uri sqlite:///mlflow.db) | normalise > "$work/aot-sql.txt"
(mkdir -p "$work/sql-jit" && cd "$work/sql-jit" && dotnet "$work/jit/AotModel.dll" --uri sqlite:///mlflow.db) | normalise > "$work/jit-sql.txt"
test -f "$work/sql-aot/mlflow.db" && test -f "$work/sql-jit/mlflow.db"
if diff -u "$work/jit.txt" "$work/jit-sql.txt" && diff -u "$work/jit.txt" "$work/aot-sql.txt"; then
  echo "AOT and JIT output on sqlite:/// equals the file store's."
else
  echo "Output on sqlite:/// differs from the file store's."; exit 1
fi
