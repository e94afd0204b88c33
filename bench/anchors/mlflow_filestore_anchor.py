"""MLflow 2.12's FILE store, the anchor side of bench/Qlib.Tracked.Benchmarks' file-store benchmarks (a, b, e, d, s).

Run:  PYTHONPATH=/opt/mlflow-src /usr/bin/python3 bench/anchors/mlflow_filestore_anchor.py WORK [SEARCH_STORE …]
Each figure uses a fresh `mlruns` folder under WORK; one line per figure, "name value unit" (read by ratios.py).
SEARCH_STORE is an `mlruns` folder written by `Qlib.Tracked.Benchmarks --search-generate N` (one experiment of N
runs, written as MLflow writes them): MLflow searches the very files our `--search N` searches.
The workloads mirror bench/Qlib.Tracked.Benchmarks (PerCallLogging, BatchLogging, RunCreation, MetricHistory,
SearchIndexBench) at sizes that keep a sitting short; every figure is per call / point / run, so size only changes
how long it takes (MLflow's file-store per-call cost does not grow with a run's history, only with the store's runs).
"""
import os
import sys
import time

import mlflow
from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

WORK = sys.argv[1]
SEARCH_STORES = sys.argv[2:]
TS = 1_700_000_000_000
TAGS = {"mlflow.user": os.environ.get("USER", "bench"), "mlflow.source.name": "bench", "mlflow.source.type": "LOCAL"}


def fresh_client(label):
    path = os.path.join(WORK, f"{label}-{time.time_ns()}", "mlruns")
    os.makedirs(path)
    uri = "file://" + os.path.abspath(path)
    mlflow.set_tracking_uri(uri)
    client = MlflowClient(tracking_uri=uri)
    return client, client.create_experiment("bench-" + label)


def report(name, value, unit):
    print(f"{name} {value:.6g} {unit}", flush=True)


def median_of_3_after_warmup(action):
    timings = []
    for _ in range(4):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return sorted(timings[1:])[1]


def log_metric_calls(calls=2_000):
    """(a) PerCallLogging: MlflowClient.log_metric, one point per call (reference §6 a used 10,000 calls)."""
    client, exp = fresh_client("a")
    run = client.create_run(exp).info.run_id
    client.log_metric(run, "loss", 1.0, TS, 0)  # warm-up: first-write costs
    start = time.perf_counter()
    for i in range(calls):
        client.log_metric(run, "loss", 1.0 / (i + 1), TS + i, i)
    report("file_log_metric_calls_per_s", calls / (time.perf_counter() - start), "calls/s")


def log_batch_points(points=30_000):
    """(b) BatchLogging: log_batch in batches of 1,000 points (10 keys x 100 steps), as ours."""
    client, exp = fresh_client("b")
    run = client.create_run(exp).info.run_id
    names = ["loss", "val_loss", "train/ic", "valid/ic"] + [f"metric_{k}" for k in range(4, 10)]
    batches = [[Metric(names[k], 1.0 / (b * 100 + s + k + 1), TS + b * 100 + s, b * 100 + s) for s in range(100) for k in range(10)]
               for b in range(points // 1000 + 1)]
    client.log_batch(run, metrics=batches[-1])  # warm-up
    start = time.perf_counter()
    for batch in batches[:-1]:
        client.log_batch(run, metrics=batch)
    report("file_log_batch_points_per_s", points / (time.perf_counter() - start), "points/s")


def fluent_start_end_runs(runs=300):
    """(e) RunCreation.R_StartEndRun: fluent mlflow.start_run() + end_run() in a new experiment (reference §6 e)."""
    client, exp = fresh_client("e")
    mlflow.start_run(experiment_id=exp)  # warm-up
    mlflow.end_run()
    start = time.perf_counter()
    for _ in range(runs):
        mlflow.start_run(experiment_id=exp)
        mlflow.end_run()
    report("file_start_end_runs_per_s", runs / (time.perf_counter() - start), "runs/s")


def create_terminate_runs(runs=300):
    """(e) RunCreation.Client_CreateTerminateRun: create_run with the same 3 tags + set_terminated."""
    client, exp = fresh_client("e2")
    client.set_terminated(client.create_run(exp, tags=TAGS).info.run_id)  # warm-up
    start = time.perf_counter()
    for _ in range(runs):
        client.set_terminated(client.create_run(exp, tags=TAGS).info.run_id)
    report("file_create_terminate_runs_per_s", runs / (time.perf_counter() - start), "runs/s")


def history_read(steps=100_000):
    """(d) MetricHistory: get_metric_history of one 100,000-step metric, median of 3 after a warm-up."""
    import random
    client, exp = fresh_client("d")
    run = client.create_run(exp).info.run_id
    rng = random.Random(42)
    for b in range(steps // 1000):
        client.log_batch(run, metrics=[Metric("loss", rng.random() / (b * 1000 + i + 1), TS + b * 1000 + i, b * 1000 + i) for i in range(1000)])
    seconds = median_of_3_after_warmup(lambda: len(client.get_metric_history(run, "loss")))
    assert len(client.get_metric_history(run, "loss")) == steps
    report("file_get_metric_history_100k_ms", seconds * 1000, "ms")


def search(store):
    """(s) SearchIndexBench: reference §6 c1 over a generated store, first page of 1,000, median of 3 after a warm-up."""
    uri = "file://" + os.path.abspath(store)
    client = MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name("search-bench").experiment_id
    runs = len(next(os.walk(os.path.join(store, exp)))[1])
    found = []
    seconds = median_of_3_after_warmup(lambda: found.append(len(client.search_runs(
        [exp], filter_string="params.group = 'g3' and metrics.score > 0.1",
        order_by=["metrics.score DESC", "attributes.start_time ASC"], max_results=1000))))
    report(f"file_search_{runs}_runs_ms", seconds * 1000, f"ms ({found[-1]} hits)")


if __name__ == "__main__":
    print(f"# MLflow {mlflow.__version__}, file store, work dir {WORK}", flush=True)
    log_metric_calls()
    log_batch_points()
    fluent_start_end_runs()
    create_terminate_runs()
    history_read()
    for folder in SEARCH_STORES:
        search(folder)
