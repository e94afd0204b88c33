"""Interop with real MLflow 2.12 through a SQLite database (run by tests/interop/sqlite_roundtrip.sh, not in CI).

A) ours -> MLflow: a database QuickStart wrote (--uri sqlite:///...) is read by MLflow's SQL store: every run's
   status, name, params, tags, latest metrics and full metric histories must equal the rows we stored and what
   `qtrack runs` reads; MLflow's searches must equal qtrack's. Then MLflow writes a run into our database and
   qtrack reads it back.
B) MLflow -> ours: MLflow writes a workload (histories, NaN/inf, a failed, a deleted and a child run), runs its own
   searches, and `qtrack runs` must answer each one with the same runs in the same order and the same run data.
Prints one line per check and exits 1 when any differs.
"""
import json
import math
import os
import sqlite3
import subprocess
import sys

from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.tracking import MlflowClient

QTRACK = os.environ["QTRACK"]
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def qtrack_runs(uri, filter_string="", order_by=(), view="active"):
    args = [QTRACK, "runs", "--store", uri, "--format", "json", "--max", "5000", "--view", view]
    if filter_string:
        args += ["--filter", filter_string]
    for clause in order_by:
        args += ["--order-by", clause]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip()}
    return json.loads(done.stdout)


def same_number(a, b):
    a, b = float(a), float(b)
    return (math.isnan(a) and math.isnan(b)) or a == b


def metrics_equal(a, b):
    return a.keys() == b.keys() and all(same_number(a[k], b[k]) for k in a)


def data_of_qtrack(run):
    metrics = {k: (float("nan") if v in ("NaN", "nan") else v) for k, v in run["metrics"].items()}
    return run["status"], run["params"], run["tags"], metrics


def compare_reads(client, uri, experiment_ids, label):
    """MLflow's reading of every run vs qtrack's reading of the same database."""
    ours = {r["run_id"]: r for r in qtrack_runs(uri, view="all")}
    runs = client.search_runs(experiment_ids, run_view_type=ViewType.ALL, max_results=5000)
    check(sorted(ours) == sorted(r.info.run_id for r in runs), f"{label}: qtrack lists the {len(runs)} runs MLflow lists")
    for run in runs:
        mine = ours.get(run.info.run_id)
        if mine is None:
            continue
        status, params, tags, metrics = data_of_qtrack(mine)
        same = (status == run.info.status and params == run.data.params and tags == run.data.tags
                and metrics_equal(metrics, run.data.metrics) and mine["lifecycle_stage"] == run.info.lifecycle_stage)
        check(same, f"{label}: run {run.info.run_name} reads the same in MLflow and qtrack (status, params, tags, metrics)")


def compare_searches(client, uri, experiment_ids, searches, label):
    for filter_string, order_by in searches:
        try:
            expected = [r.info.run_id for r in client.search_runs(experiment_ids, filter_string, order_by=order_by, max_results=5000)]
        except Exception as e:  # MLflow refuses it: qtrack must refuse it too
            got = qtrack_runs(uri, filter_string, order_by)
            check("error" in got, f"{label}: search {filter_string!r} {order_by} refused by both ({type(e).__name__})")
            continue
        got = qtrack_runs(uri, filter_string, order_by)
        got_ids = None if "error" in got else [r["run_id"] for r in got]
        check(got_ids == expected, f"{label}: search {filter_string!r} order {order_by}: {len(expected)} runs, same order"
              + ("" if got_ids == expected else f" (MLflow {expected}, qtrack {got_ids if got_ids is not None else got})"))


def part_a(db):
    uri = "sqlite:///" + db
    client = MlflowClient(uri)
    raw = sqlite3.connect(db)
    journal = raw.execute("PRAGMA journal_mode").fetchone()[0]
    check(journal == "wal", f"A: our store left the file in journal mode '{journal}' (WAL), and MLflow reads it below")
    experiments = [e.experiment_id for e in client.search_experiments()]
    run_ids = [r[0] for r in raw.execute("SELECT run_uuid FROM runs")]
    check(len(run_ids) >= 2, f"A: our database holds {len(run_ids)} runs")
    points = 0
    for run_id in run_ids:
        run = client.get_run(run_id)
        (status, name, start, end) = raw.execute("SELECT status, name, start_time, end_time FROM runs WHERE run_uuid = ?", (run_id,)).fetchone()
        params = dict(raw.execute("SELECT key, value FROM params WHERE run_uuid = ?", (run_id,)))
        tags = dict(raw.execute("SELECT key, value FROM tags WHERE run_uuid = ?", (run_id,)))
        latest = {k: (float("nan") if n else v) for k, v, n in raw.execute("SELECT key, value, is_nan FROM latest_metrics WHERE run_uuid = ?", (run_id,))}
        check((run.info.status, run.info.run_name, run.info.start_time, run.info.end_time) == (status, name, start, end),
              f"A: MLflow reads run {name}'s info ({status}, {start}..{end})")
        check(run.data.params == params and len(params) > 0, f"A: MLflow reads run {name}'s {len(params)} params")
        check(run.data.tags == tags, f"A: MLflow reads run {name}'s {len(tags)} tags")
        check(metrics_equal(run.data.metrics, latest), f"A: MLflow reads run {name}'s {len(latest)} latest metrics")
        for (key,) in raw.execute("SELECT DISTINCT key FROM metrics WHERE run_uuid = ?", (run_id,)).fetchall():
            stored = sorted((s, t, float("nan") if n else v) for v, t, s, n in
                            raw.execute("SELECT value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ? AND key = ?", (run_id, key)))
            history = sorted((m.step, m.timestamp, m.value) for m in client.get_metric_history(run_id, key))
            points += len(history)
            if not (len(stored) == len(history) and all(a[:2] == b[:2] and same_number(a[2], b[2]) for a, b in zip(stored, history))):
                check(False, f"A: MLflow reads run {name}'s history of {key}")
    check(True, f"A: MLflow read every metric history ({points} points) as stored")
    compare_reads(client, uri, experiments, "A")
    compare_searches(client, uri, experiments, [
        ("", []),
        ("attributes.status = 'FINISHED'", ["metrics.`IC` DESC"]),
        ("params.`dataset.seed` = '1'", []),
        ("metrics.`1day.excess_return_with_cost.information_ratio` > 0", ["params.`dataset.seed` ASC"]),
        ("tags.`mlflow.runName` LIKE 'mlflow%'", ["attributes.start_time ASC"]),
    ], "A")

    # MLflow writes into the database we created, and we read what it wrote.
    experiment_id = client.create_experiment("written-by-mlflow")
    run = client.create_run(experiment_id, run_name="mlflow-run", tags={"writer": "mlflow"})
    client.log_batch(run.info.run_id, metrics=[Metric("loss", 1.0 / (s + 1), 1700000000000 + s, s) for s in range(50)] + [Metric("nan", float("nan"), 1, 0)],
                     params=[Param("lr", "0.05")], tags=[RunTag("model", "LGB")])
    client.set_terminated(run.info.run_id, "FINISHED")
    got = qtrack_runs(uri, "tags.writer = 'mlflow'")
    ok = "error" not in got and len(got) == 1 and got[0]["run_id"] == run.info.run_id and got[0]["params"] == {"lr": "0.05"} \
        and got[0]["status"] == "FINISHED" and same_number(got[0]["metrics"]["loss"], 1.0 / 50)
    check(ok, "A: qtrack finds and reads the run MLflow wrote into our database" + ("" if ok else f" ({got})"))


def part_b(db):
    uri = db if "://" in db else "sqlite:///" + db
    client = MlflowClient(uri)
    alpha = client.create_experiment("interop-alpha")
    beta = client.create_experiment("interop-beta", tags={"team": "quant"})
    specs = [
        (alpha, "lgb", "0.01", "LGBModel", [0.9, 0.5, 0.3], "FINISHED"),
        (alpha, "xgb", "0.1", "XGBModel", [0.8, 0.45], "FINISHED"),
        (alpha, "linear", "0.1", "Linear", [0.7], "FAILED"),
        (alpha, "nan-run", "1", "lgb", [float("nan")], "FINISHED"),
        (beta, "inf-run", "0.5", "MLP", [float("inf")], "FINISHED"),
        (beta, "plain", "0.01", "LGBModel", [0.2, 0.1], "RUNNING"),
        (beta, "deleted", "0.3", "LGBModel", [0.05], "FINISHED"),
        (beta, "unicode-模型", "0.2", "模型 ✓", [0.33], "FINISHED"),
    ]
    ids = {}
    for i, (experiment, name, lr, model, losses, status) in enumerate(specs):
        run = client.create_run(experiment, start_time=1700000000000 + i * 10, run_name=name, tags={"model": model})
        ids[name] = run.info.run_id
        client.log_batch(run.info.run_id,
                         metrics=[Metric("loss", v, 1700000000000 + i * 10 + s, s) for s, v in enumerate(losses)] + [Metric("sharpe", i * 0.5 - 1, 1700000000001, 0)],
                         params=[Param("lr", lr), Param("window", str(10 + i))], tags=[RunTag("index", str(i))])
        if status != "RUNNING":
            client.set_terminated(run.info.run_id, status, end_time=1700000000500 + i)
    client.set_tag(ids["xgb"], "mlflow.parentRunId", ids["lgb"])
    client.delete_run(ids["deleted"])
    experiments = [alpha, beta]
    compare_reads(client, uri, experiments, "B")
    compare_searches(client, uri, experiments, [
        ("", []),
        ("", ["attributes.start_time ASC"]),
        ("metrics.loss < 0.5", ["metrics.loss DESC"]),
        ("metrics.loss > -1", ["metrics.loss ASC"]),
        ("metrics.loss != 0", []),
        ("params.lr = '0.1'", ["attributes.run_name ASC"]),
        ("params.window >= '12'", ["params.window DESC"]),
        ("tags.model LIKE '%GB%'", ["tags.model ASC"]),
        ("tags.model ILIKE '%gb%'", ["metrics.sharpe DESC"]),
        ("attributes.status = 'FAILED'", []),
        ("attributes.end_time > 1700000000502", ["attributes.end_time ASC"]),
        ("tags.`mlflow.parentRunId` = '%s'" % ids["lgb"], []),
        ("attributes.run_id IN ('%s', '%s')" % (ids["xgb"], ids["plain"]), ["attributes.run_name DESC"]),
        ("params.lr = '0.01' and metrics.sharpe > -2", ["metrics.sharpe ASC", "attributes.run_name ASC"]),
        ("", ["metrics.loss ASC", "metrics.loss DESC"]),
        ("tags.model = '模型 ✓'", []),
    ], "B")
    histories_ok = all(
        [(m.step, m.value) for m in client.get_metric_history(ids[name], "loss")] == [(s, v) for s, v in enumerate(losses)]
        or any(math.isnan(v) or math.isinf(v) for v in losses)
        for _, name, _, _, losses, _ in specs)
    check(histories_ok, "B: MLflow's own histories are what it logged (sanity)")


CONCURRENT_POINTS = 1500


def part_c_write(db):
    """MLflow logs one metric per call into the database while QuickStart writes runs into it (started by the .sh)."""
    client = MlflowClient("sqlite:///" + db)
    experiment = client.get_experiment_by_name("concurrent") or client.get_experiment(client.create_experiment("concurrent"))
    run = client.create_run(experiment.experiment_id, run_name="mlflow-concurrent")
    for i in range(CONCURRENT_POINTS):
        client.log_metric(run.info.run_id, "tick", float(i), timestamp=1700000000000 + i, step=i)
    client.set_terminated(run.info.run_id, "FINISHED")


def part_c_check(db):
    uri = "sqlite:///" + db
    client = MlflowClient(uri)
    journal = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    check(journal == "wal", f"C: the shared file is in journal mode '{journal}' (our store switched it to WAL; MLflow wrote it meanwhile)")
    experiments = [e.experiment_id for e in client.search_experiments()]
    runs = client.search_runs(experiments, max_results=5000)
    mine = [r for r in runs if r.info.run_name == "mlflow-concurrent"]
    check(len(mine) == 1 and len(client.get_metric_history(mine[0].info.run_id, "tick")) == CONCURRENT_POINTS,
          f"C: MLflow's {CONCURRENT_POINTS} log_metric calls made while QuickStart wrote all arrived")
    ours = [r for r in runs if r.info.run_name != "mlflow-concurrent"]
    if mine:
        span = (mine[0].info.start_time, mine[0].info.end_time)
        inside = [r for r in ours if span[0] < r.info.start_time and r.info.end_time < span[1]]
        check(len(inside) >= 1, f"C: {len(inside)} QuickStart run(s) started and ended while MLflow was logging (the writes overlapped)")
    check(len(ours) >= 2 and all(r.info.status == "FINISHED" and r.data.params and r.data.metrics for r in ours),
          f"C: the {len(ours)} QuickStart runs written meanwhile are FINISHED with params and metrics in MLflow's reading")
    compare_reads(client, uri, experiments, "C")


if __name__ == "__main__":
    part = sys.argv[1]  # a DB_PATH | b DB_PATH_OR_URI | c-write DB_PATH | c-check DB_PATH
    {"a": part_a, "b": part_b, "c-write": part_c_write, "c-check": part_c_check}[part](sys.argv[2])
    print(f"{part.upper()}: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)
