"""MLflow 2.12's SQLite store on this machine: the baseline for bench/README.md "Session 5: SQL store".

Run:  PYTHONPATH=/opt/mlflow-src /usr/bin/python3 bench/mlflow_sqlite_baseline.py [work-dir] [search-runs[,search-runs…]]
Each figure uses a fresh SQLite file under work-dir (default: a temp dir); one line per figure.
The workloads mirror bench/Qlib.Tracked.Benchmarks (PerCallLogging, BatchLogging, RunCreation, MetricHistory).
"""
import os
import sys
import tempfile
import time

import mlflow
from mlflow.entities import Metric, Param
from mlflow.tracking import MlflowClient

WORK = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="mlflow-sqlite-bench-")
SEARCH_RUNS = [int(n) for n in sys.argv[2].split(",")] if len(sys.argv) > 2 else [10_000]  # e.g. 10000,100000
TS = 1_700_000_000_000


def fresh_client(label):
    path = os.path.abspath(os.path.join(WORK, f"{label}-{time.time_ns()}.db"))
    uri = "sqlite:///" + path
    mlflow.set_tracking_uri(uri)
    client = MlflowClient(tracking_uri=uri)
    return client, client.create_experiment("bench-" + label)


def report(name, value, unit):
    print(f"{name} {value:.3f} {unit}", flush=True)


def log_metric_calls(calls=500):
    client, exp = fresh_client("a")
    run = client.create_run(exp).info.run_id
    client.log_metric(run, "loss", 1.0, TS, 0)  # warm-up: first-write costs
    start = time.perf_counter()
    for i in range(calls):
        client.log_metric(run, "loss", 1.0 / (i + 1), TS + i, i)
    report("log_metric_calls_per_s", calls / (time.perf_counter() - start), "calls/s")


def batches(count, keys=10, steps=100):
    names = ["loss", "val_loss", "train/ic", "valid/ic"] + [f"metric_{k}" for k in range(4, keys)]
    out = []
    for b in range(count):
        batch = []
        for s in range(steps):
            step = b * steps + s
            for k in range(keys):
                batch.append(Metric(names[k], 1.0 / (step + k + 1) + 0.001 * k, TS + step, step))
        out.append(batch)
    return out


def log_batch_points(points=20_000):
    client, exp = fresh_client("b")
    run = client.create_run(exp).info.run_id
    data = batches(points // 1000 + 1)
    client.log_batch(run, metrics=data[-1])  # warm-up
    start = time.perf_counter()
    for batch in data[:-1]:
        client.log_batch(run, metrics=batch)
    report("log_batch_points_per_s", points / (time.perf_counter() - start), "points/s")


def create_end_runs(runs=200):
    client, exp = fresh_client("e")
    tags = {"mlflow.user": os.environ.get("USER", "bench"), "mlflow.source.name": "bench", "mlflow.source.type": "LOCAL"}
    client.set_terminated(client.create_run(exp, tags=tags).info.run_id)  # warm-up
    start = time.perf_counter()
    for _ in range(runs):
        run = client.create_run(exp, tags=tags)
        client.set_terminated(run.info.run_id)
    report("create_end_runs_per_s", runs / (time.perf_counter() - start), "runs/s")


def history_read(steps=100_000):
    client, exp = fresh_client("d")
    run = client.create_run(exp).info.run_id
    import random
    rng = random.Random(42)
    for b in range(steps // 1000):
        client.log_batch(run, metrics=[Metric("loss", rng.random() / (b * 1000 + i + 1), TS + b * 1000 + i, b * 1000 + i) for i in range(1000)])
    timings = []
    for _ in range(4):  # 1 warm-up + 3, median, as the C# quick mode
        start = time.perf_counter()
        n = len(client.get_metric_history(run, "loss"))
        timings.append(time.perf_counter() - start)
        assert n == steps, n
    report("get_metric_history_100k_s", sorted(timings[1:])[1], "s")


def search(runs):
    client, exp = fresh_client(f"s{runs}")
    # Bulk-load through the store's own session (public API would take hours at ~50 runs/s): same rows as create_run.
    from mlflow.store.tracking.dbmodels.models import SqlMetric, SqlLatestMetric, SqlParam, SqlRun
    import uuid
    store = client._tracking_client.store
    with store.ManagedSessionMaker() as session:
        for i in range(runs):
            rid = uuid.uuid4().hex
            session.add(SqlRun(run_uuid=rid, name=f"r{i}", experiment_id=int(exp), user_id="bench", status="FINISHED",
                               start_time=TS + i, end_time=TS + i + 1, source_type="LOCAL", source_name="bench",
                               entry_point_name="", lifecycle_stage="active", artifact_uri=f"/tmp/a/{rid}"))
            session.add(SqlParam(run_uuid=rid, key="group", value=f"g{i % 11}"))
            session.add(SqlParam(run_uuid=rid, key="seed", value=str(i)))
            v = ((i * 7919) % 10007) / 10007.0
            session.add(SqlMetric(run_uuid=rid, key="ic", value=v, timestamp=TS + i, step=0, is_nan=False))
            session.add(SqlLatestMetric(run_uuid=rid, key="ic", value=v, timestamp=TS + i, step=0, is_nan=False))
    timings = []
    for _ in range(4):
        start = time.perf_counter()
        found = client.search_runs([exp], filter_string="params.group = 'g3'", order_by=["metrics.ic DESC"], max_results=100)
        timings.append(time.perf_counter() - start)
        assert len(found) == 100, len(found)
    report(f"search_{runs}_runs_ms", sorted(timings[1:])[1] * 1000, "ms")


if __name__ == "__main__":
    print(f"# MLflow {mlflow.__version__}, SQLite store, work dir {WORK}", flush=True)
    log_metric_calls()
    log_batch_points()
    create_end_runs()
    history_read()
    for n in SEARCH_RUNS:
        search(n)
