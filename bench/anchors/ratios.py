"""Reads one sitting's logs (run-anchors.sh) and prints the ratio table: MLflow 2.12 and ours, same sitting.

Run:  python3 bench/anchors/ratios.py SITTING_DIR
SITTING_DIR holds mlflow-file.log / mlflow-sqlite.log (lines "name value unit" from the anchor scripts) and
ours-file.log / ours-sqlite.log / ours-search.log / ours-sql-search.log (the benchmark program's output).
A figure missing from a log prints as "not measured" rather than stopping the table.
"""
import os
import re
import sys

DIR = sys.argv[1]


def read(name):
    path = os.path.join(DIR, name)
    return open(path, encoding="utf-8").read() if os.path.exists(path) else ""


def anchors(name):
    out = {}
    for line in read(name).splitlines():
        parts = line.split()
        if len(parts) >= 3 and not line.startswith("#"):
            out[parts[0]] = float(parts[1])
    return out


def quick(name):
    """Quick-mode lines "Class.Method: 123.4 ns/op (…)" → {Method: ns per op}."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^\w+\.(\w+): ([0-9.]+) ns/op", read(name), re.M)}


mf, ms = anchors("mlflow-file.log"), anchors("mlflow-sqlite.log")
of, osq = quick("ours-file.log"), quick("ours-sqlite.log")
search = {int(m.group(1)): (float(m.group(2)), float(m.group(3)))
          for m in re.finditer(r"^runs=(\d+) hits=\d+ build=\S+ cold=([0-9.]+)ms warm=([0-9.]+)ms", read("ours-search.log"), re.M)}
watched = {int(m.group(1)): float(m.group(2))
           for m in re.finditer(r"runs=(\d+) Verified\+watched warm ([0-9.]+) ms", read("ours-search.log"))}
sql_search = {int(m.group(1)): float(m.group(2)) for m in re.finditer(r"^search (\d+) runs \(.*?\): ([0-9.]+) ms", read("ours-sql-search.log"), re.M)}

rows = []  # (store, what, ours text, mlflow text, ratio text, target text, met)


def per_second(store, what, ours_ns, mlflow, mlflow_name, target):
    """target: a ratio to MLflow (≥ target×), or ("abs", n) = ours ≥ n per second."""
    target_text = f"≥ {target[1]:,.0f}/s" if isinstance(target, tuple) else f"≥ {target:,}×"
    if ours_ns is None or mlflow is None:
        rows.append((store, what, "not measured" if ours_ns is None else f"{1e9 / ours_ns:,.0f}",
                     "not measured" if mlflow is None else f"{mlflow:,.1f} ({mlflow_name})", "", target_text, ""))
        return
    ours = 1e9 / ours_ns
    ratio = ours / mlflow
    met = ours >= target[1] if isinstance(target, tuple) else ratio >= target
    rows.append((store, what, f"{ours:,.0f}", f"{mlflow:,.1f} ({mlflow_name})", f"{ratio:,.1f}×",
                 target_text, "yes" if met else "**no**"))


def milliseconds(store, what, ours_ms, mlflow_ms, target):
    """target: ("ratio", 20) = MLflow / ours ≥ 20; ("ms", 100) = ours < 100 ms; None = no target."""
    if ours_ms is None or mlflow_ms is None:
        rows.append((store, what, "not measured" if ours_ms is None else f"{ours_ms:,.1f} ms",
                     "not measured" if mlflow_ms is None else f"{mlflow_ms:,.1f} ms", "", "", ""))
        return
    ratio = mlflow_ms / ours_ms
    if target is None:
        rows.append((store, what, f"{ours_ms:,.1f} ms", f"{mlflow_ms:,.1f} ms", f"{ratio:,.1f}×", "(none)", ""))
        return
    met = ratio >= target[1] if target[0] == "ratio" else ours_ms < target[1]
    rows.append((store, what, f"{ours_ms:,.1f} ms", f"{mlflow_ms:,.1f} ms", f"{ratio:,.1f}×",
                 f"≥ {target[1]}×" if target[0] == "ratio" else f"< {target[1]} ms", "yes" if met else "**no**"))


def ns(table, method):
    return table.get(method)


# File store: targets from the reference §6 (single metric logging ≥ 100×, batched ≥ 5 M points/s, run create+end ≥ 50×,
# history ≥ 20×).
per_second("file", "buffered per-call `R.LogMetrics` (+ flush), calls/s", ns(of, "R_LogMetrics"), mf.get("file_log_metric_calls_per_s"), "`log_metric`", 100)
per_second("file", "buffered per-call `Recorder.LogMetric` (+ flush), calls/s", ns(of, "Recorder_LogMetric"), mf.get("file_log_metric_calls_per_s"), "`log_metric`", 100)
per_second("file", "batched `TrackingClient.LogBatch`, points/s", ns(of, "Client_LogBatch"), mf.get("file_log_batch_points_per_s"), "`log_batch`", ("abs", 5_000_000))
per_second("file", "`R.Start` + end, runs/s", ns(of, "R_StartEndRun"), mf.get("file_start_end_runs_per_s"), "`start_run` + `end_run`", 50)
per_second("file", "`CreateRun` + `SetTerminated`, runs/s", ns(of, "Client_CreateTerminateRun"), mf.get("file_create_terminate_runs_per_s"), "`create_run` + `set_terminated`", 50)
# The file system's floor for create + end (bench/filestore_create_end_bound.py, our calls with no code around them):
# the most any implementation of MLflow's layout could reach on this disk in this sitting (bench/README.md, "Session 8").
# run-anchors.sh measures it before and after ours; the faster is the better estimate of a floor.
bounds = [float(line.split()[1]) for line in read("bound-file.log").splitlines() if line.startswith("bound_ours_runs_per_s ")]
bound = max(bounds) if bounds else None
mlflow_create = mf.get("file_create_terminate_runs_per_s")
if bound is not None and mlflow_create is not None:
    rows.append(("file", "create + end, the file system alone (`filestore_create_end_bound.py`), runs/s", f"{bound:,.0f}",
                 f"{mlflow_create:,.1f} (`create_run` + `set_terminated`)", f"{bound / mlflow_create:,.1f}×", "(ceiling)", ""))
history = ns(of, "Client_GetMetricHistory")
milliseconds("file", "100,000-step history read", history / 1e6 if history else None, mf.get("file_get_metric_history_100k_ms"), ("ratio", 20))
for runs in sorted(set(search) | {int(k.split("_")[2]) for k in mf if k.startswith("file_search_")}):
    cold, warm = search.get(runs, (None, None))
    mlflow = mf.get(f"file_search_{runs}_runs_ms")
    # Targets (reference §6, issue 6): < 100 ms warm at 100,000 runs, ≥ 100× MLflow at 10,000; other sizes are yardsticks.
    warm_target = ("ms", 100) if runs >= 100_000 else ("ratio", 100) if runs >= 10_000 else None
    milliseconds("file", f"search c1, first page, {runs:,} runs — warm, watched (default options)", watched.get(runs), mlflow, warm_target)
    milliseconds("file", f"search c1, first page, {runs:,} runs — warm, stats only", warm, mlflow, warm_target)
    milliseconds("file", f"search c1, first page, {runs:,} runs — cold (new process)", cold, mlflow, ("ms", 2000) if runs >= 100_000 else None)

# SQLite: issue 13's targets.
per_second("sqlite", "buffered per-call `R.LogMetrics` (+ flush), calls/s", ns(osq, "R_LogMetrics"), ms.get("log_metric_calls_per_s"), "`log_metric`", 1000)
per_second("sqlite", "batched `TrackingClient.LogBatch`, points/s", ns(osq, "Client_LogBatch"), ms.get("log_batch_points_per_s"), "`log_batch`", 50)
per_second("sqlite", "`CreateRun` + `SetTerminated`, runs/s", ns(osq, "Client_CreateTerminateRun"), ms.get("create_end_runs_per_s"), "`create_run` + `set_terminated`", 50)
history = ns(osq, "Client_GetMetricHistory")
milliseconds("sqlite", "100,000-step history read", history / 1e6 if history else None, ms.get("get_metric_history_100k_s", 0) * 1000 or None, ("ratio", 50))
for runs in sorted(set(sql_search) | {int(k.split("_")[1]) for k in ms if k.startswith("search_")}):
    milliseconds("sqlite", f"params filter + metric order, first 100 of {runs:,} runs", sql_search.get(runs), ms.get(f"search_{runs}_runs_ms"), ("ms", 100))

print("| store | what | ours | MLflow 2.12, same sitting | ratio | target | met |")
print("|---|---|---:|---:|---:|---:|:-:|")
for row in rows:
    print("| " + " | ".join(row) + " |")
