"""Checker of mlflow-server-outage.sh, with MLflow's own Python client: the experiment holds exactly one run, FINISHED,
with its params (steps, keys, and Qlib's cmd-sys.argv), and each of the KEYS metrics m0… has every step 0..STEPS-1 exactly once with the value the trainer
logged (step + k/1000). Prints one line per check; exit 1 when any fails.
Usage: python3 mlflow_outage_check.py URI EXPERIMENT STEPS KEYS"""
import sys
from collections import Counter

from mlflow.tracking import MlflowClient

uri, experiment_name, steps, keys = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
client = MlflowClient(uri)
failures = 0


def check(ok, what):
    global failures
    print(("ok    " if ok else "FAIL  ") + what)
    failures += 0 if ok else 1


experiment = client.get_experiment_by_name(experiment_name)
runs = client.search_runs([experiment.experiment_id], max_results=100)
check(len(runs) == 1, f"the experiment holds one run ({len(runs)})")
run = runs[0]
check(run.info.status == "FINISHED", f"run {run.info.run_id} is FINISHED ({run.info.status})")
logged = {"steps": str(steps), "keys": str(keys)}
check({k: run.data.params.get(k) for k in logged} == logged and "cmd-sys.argv" in run.data.params,
      f"its params arrived (steps, keys and Qlib's cmd-sys.argv: {sorted(run.data.params)})")
total = 0
for k in range(keys):
    history = client.get_metric_history(run.info.run_id, f"m{k}")
    total += len(history)
    counts = Counter(m.step for m in history)
    missing = [s for s in range(steps) if s not in counts]
    duplicated = sorted(s for s, n in counts.items() if n > 1)
    wrong = [m.step for m in history if abs(m.value - (m.step + k / 1000.0)) > 1e-9]
    check(not missing and not duplicated and not wrong and len(history) == steps,
          f"m{k}: {len(history)} points, steps 0..{steps - 1} each once"
          + (f"; MISSING {len(missing)} (first {missing[:5]})" if missing else "")
          + (f"; DUPLICATED {len(duplicated)} (first {duplicated[:5]})" if duplicated else "")
          + (f"; WRONG VALUE at {len(wrong)} steps" if wrong else ""))
check(total == steps * keys, f"{total:,} points in all, {steps * keys:,} logged: none lost, none doubled")
sys.exit(1 if failures else 0)
