"""MLflow's own Python client against a tracking server (issue 14's baseline): per-call `log_metric` and, for
reference, `log_batch` of 1,000 points (10 keys x 100 steps, the load generator's mix), each into a new run.
Usage: PYTHONPATH=/opt/mlflow-src /usr/bin/python3 python_client.py URI [CALLS] [BATCH_POINTS]
Prints one tab-separated PY line per figure: what, count, seconds, per second."""
import sys
import time

from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

uri = sys.argv[1]
calls = int(sys.argv[2]) if len(sys.argv) > 2 else 500
batch_points = int(sys.argv[3]) if len(sys.argv) > 3 else 20_000
client = MlflowClient(uri)
experiment = client.create_experiment(f"python-client-{time.time_ns()}")

run = client.create_run(experiment).info.run_id
for i in range(20):  # warm-up: connection, server caches
    client.log_metric(run, "warmup", 1.0 / (i + 1), step=i)
start = time.perf_counter()
for i in range(calls):
    client.log_metric(run, f"metric_{i % 10}", 1.0 / (i + 1), step=i // 10)
seconds = time.perf_counter() - start
print(f"PY\tlog_metric\t{calls}\t{seconds:.3f}\t{calls / seconds:.1f}", flush=True)
client.set_terminated(run)

run = client.create_run(experiment).info.run_id
ts = int(time.time() * 1000)
batches = [[Metric(f"metric_{k}", 1.0 / (step + k + 1), ts, step) for step in range(b * 100, b * 100 + 100) for k in range(10)]
           for b in range(batch_points // 1000 + 1)]
client.log_batch(run, metrics=batches[0])  # warm-up
start = time.perf_counter()
for batch in batches[1:]:
    client.log_batch(run, metrics=batch)
seconds = time.perf_counter() - start
print(f"PY\tlog_batch\t{batch_points}\t{seconds:.3f}\t{batch_points / seconds:.0f}", flush=True)
client.set_terminated(run)
