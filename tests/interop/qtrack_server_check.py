"""The real MLflow 2.12 Python client against `qtrack server` (run by tests/interop/qtrack-server.sh).

A workload like the one that recorded tests/Fixtures/mlflow-rest-reference (experiments with tags, runs with params,
tags and metric series, NaN/±inf, slash keys, unicode, a nested run, FAILED/KILLED runs, a deleted run, artifacts
through the proxy, error cases) and Qlib-style logging (mlflow.log_metrics per step, log_params, set_tags,
log_artifact, search_runs), dataset inputs (mlflow.log_input of pandas datasets, MlflowClient.log_inputs, their
errors), renaming to a taken name and /version, each read back through the client and checked. Prints one line per
check; exits 1 when any fails. BACKEND (sqlite, file, postgresql) says which error code a taken name gets;
QTRACK_INPUTS_OUT names a JSON file to write the logged inputs to, for qtrack_inputs_readback.py.
"""
import json
import math
import os
import re
import sys
import tempfile
import urllib.request

import mlflow
import mlflow.data
from mlflow.entities import Metric
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import Dataset, DatasetInput, InputTag
from mlflow.exceptions import MlflowException

failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(name)


def error_code(call):
    try:
        call()
    except MlflowException as e:
        return e.error_code
    return None


uri = sys.argv[1]
backend = os.environ.get("BACKEND", "sqlite")
inputs_out = os.environ.get("QTRACK_INPUTS_OUT")
mlflow.set_tracking_uri(uri)
client = MlflowClient(uri)
print(f"MLflow {mlflow.__version__} client against {uri}")

# ----- the reference-like workload -----
exp_id = client.create_experiment("qlib_ref_alpha", tags={"project": "qlib", "mlflow.note.content": "alpha experiment"})
exp = client.get_experiment(exp_id)
check("experiment tags", exp.tags.get("project") == "qlib" and exp.tags.get("mlflow.note.content") == "alpha experiment", exp.tags)
check("experiment artifact location is proxied", exp.artifact_location.startswith("mlflow-artifacts:/"), exp.artifact_location)
check("get_experiment_by_name", client.get_experiment_by_name("qlib_ref_alpha").experiment_id == exp_id)

run = client.create_run(exp_id, run_name="alpha-lgb", tags={"model": "LGBModel", "market": "csi300"}, start_time=1700000000100)
rid = run.info.run_id
client.log_batch(rid, params=[mlflow.entities.Param("lr", "0.01"), mlflow.entities.Param("n_estimators", "200")])
for step in range(20):
    client.log_metric(rid, "loss", 1.0 / (step + 1), timestamp=1700000000200 + step, step=step)
client.log_metric(rid, "nan_metric", float("nan"), step=0)
client.log_metric(rid, "inf_metric", float("inf"), step=0)
client.log_metric(rid, "train/loss", 0.25, step=1)
client.log_param(rid, "desc", "späce and ünïcode")
client.set_tag(rid, "multi", "line1\nline2")
with tempfile.TemporaryDirectory() as tmp:
    notes = os.path.join(tmp, "notes.txt")
    with open(notes, "w") as f:
        f.write("hello from the reference run\n")
    os.makedirs(os.path.join(tmp, "portfolio_analysis"))
    with open(os.path.join(tmp, "portfolio_analysis", "report_normal_1day.csv"), "w") as f:
        f.write("datetime,return,cost\n2020-01-02,0.001,0.0001\n")
    client.log_artifact(rid, notes)
    client.log_artifacts(rid, os.path.join(tmp, "portfolio_analysis"), artifact_path="portfolio_analysis")
client.set_terminated(rid, "FINISHED", end_time=1700000001000)

got = client.get_run(rid)
check("params read back", got.data.params == {"lr": "0.01", "n_estimators": "200", "desc": "späce and ünïcode"}, got.data.params)
check("latest loss", got.data.metrics["loss"] == 0.05, got.data.metrics)
check("NaN metric", math.isnan(got.data.metrics["nan_metric"]))
check("inf metric", got.data.metrics["inf_metric"] == float("inf") or got.data.metrics["inf_metric"] > 1e308, got.data.metrics["inf_metric"])
check("slash key", got.data.metrics["train/loss"] == 0.25)
check("multi-line tag", got.data.tags["multi"] == "line1\nline2")
check("run name tag", got.data.tags["mlflow.runName"] == "alpha-lgb")
check("status FINISHED", got.info.status == "FINISHED" and got.info.end_time == 1700000001000, got.info)
history = client.get_metric_history(rid, "loss")
check("loss history", [m.step for m in history] == list(range(20)) and history[-1].value == 0.05, len(history))
# A history longer than the client's 25,000-point pages: read back whole through the server's paging (next_page_token).
long_points = [Metric("long", 1.0 / (i + 1), 1700000000000 + i, i) for i in range(60_000)]
for start in range(0, len(long_points), 1000):
    client.log_batch(rid, metrics=long_points[start:start + 1000])
long_history = client.get_metric_history(rid, "long")
check("60,000-point history over three pages",
      [(m.step, m.value, m.timestamp) for m in long_history] == [(m.step, m.value, m.timestamp) for m in long_points], len(long_history))
listed = sorted((f.path, f.is_dir) for f in client.list_artifacts(rid))
check("artifact listing", listed == [("notes.txt", False), ("portfolio_analysis", True)], listed)
with tempfile.TemporaryDirectory() as tmp:
    path = client.download_artifacts(rid, "notes.txt", tmp)
    check("artifact download", open(path).read() == "hello from the reference run\n")
    folder = client.download_artifacts(rid, "portfolio_analysis", tmp)
    check("folder download", os.listdir(folder) == ["report_normal_1day.csv"], os.listdir(folder))

child = client.create_run(exp_id, run_name="alpha-child", tags={"mlflow.parentRunId": rid})
client.set_terminated(child.info.run_id, "KILLED")
failed = client.create_run(exp_id, run_name="alpha-failed")
client.log_param(failed.info.run_id, "lr", "0.5")
client.set_terminated(failed.info.run_id, "FAILED")
gone = client.create_run(exp_id, run_name="alpha-deleted")
client.delete_run(gone.info.run_id)

# A batch bigger than the server takes in one request: the client splits it (1,000 metrics per request).
many = [mlflow.entities.Metric("ic", i / 1000.0, 1700000002000 + i, i) for i in range(2500)]
client.log_batch(rid, metrics=many)
check("2,500-point batch read back", len(client.get_metric_history(rid, "ic")) == 2500)

runs = client.search_runs([exp_id], "params.lr = '0.01'", order_by=["attributes.start_time ASC"])
check("search by param", [r.info.run_name for r in runs] == ["alpha-lgb"], [r.info.run_name for r in runs])
runs = client.search_runs([exp_id], "attributes.status = 'FAILED'")
check("search by status", [r.info.run_name for r in runs] == ["alpha-failed"], [r.info.run_name for r in runs])
runs = client.search_runs([exp_id], "tags.`mlflow.runName` ILIKE 'ALPHA-%'", run_view_type=mlflow.entities.ViewType.ALL,
                          order_by=["attributes.run_name ASC"])
check("search all views, ILIKE", [r.info.run_name for r in runs] == ["alpha-child", "alpha-deleted", "alpha-failed", "alpha-lgb"],
      [r.info.run_name for r in runs])
page = client.search_runs([exp_id], max_results=2, run_view_type=mlflow.entities.ViewType.ALL)
rest = client.search_runs([exp_id], max_results=2, run_view_type=mlflow.entities.ViewType.ALL, page_token=page.token)
check("search paging", len(page) == 2 and page.token and len(rest) == 2, (len(page), page.token, len(rest)))

# ----- error cases: the codes MLflow's own server gives -----
check("param change refused", error_code(lambda: client.log_param(rid, "lr", "0.2")) == "INVALID_PARAMETER_VALUE")
check("bad metric name refused", error_code(lambda: client.log_metric(rid, "a*b", 1.0)) == "INVALID_PARAMETER_VALUE")
check("unknown run", error_code(lambda: client.get_run("0" * 32)) == "RESOURCE_DOES_NOT_EXIST")
check("unknown experiment", error_code(lambda: client.get_experiment("123456789")) == "RESOURCE_DOES_NOT_EXIST")
check("unknown experiment name is None", client.get_experiment_by_name("no-such-experiment") is None)
check("duplicate experiment", error_code(lambda: client.create_experiment("qlib_ref_alpha")) == "RESOURCE_ALREADY_EXISTS")
check("filter with OR", error_code(lambda: client.search_runs([exp_id], "metrics.a < 1 OR metrics.a > 2")) == "INVALID_PARAMETER_VALUE")
check("max_results too big", error_code(lambda: client.search_runs([exp_id], max_results=50001)) == "INVALID_PARAMETER_VALUE")
check("log to deleted run", error_code(lambda: client.log_metric(gone.info.run_id, "m", 1.0)) == "INVALID_PARAMETER_VALUE")
long_value = "x" * 6001
client.log_param(rid, "big", long_value)
check("6,001-character param cut to 6,000", len(client.get_run(rid).data.params["big"]) == 6000)
client.restore_run(gone.info.run_id)
check("restore run", client.get_run(gone.info.run_id).info.lifecycle_stage == "active")

# ----- Qlib-style logging through the fluent API -----
mlflow.set_experiment("qlib_workflow")
with mlflow.start_run(run_name="qlib-recorder") as active:
    mlflow.log_params({"model.class": "LGBModel", "dataset.segments.train": "('2008-01-01', '2014-12-31')"})
    mlflow.set_tags({"hostname": "box", "mlflow.source.type": "LOCAL"})
    for epoch in range(5):
        mlflow.log_metrics({"train.mse": 1.0 - epoch * 0.1, "valid.mse": 1.1 - epoch * 0.1}, step=epoch)
    mlflow.log_metrics({"IC": 0.05, "ICIR": 0.4, "Rank IC": 0.06})
    with tempfile.TemporaryDirectory() as tmp:
        pred = os.path.join(tmp, "pred.pkl")
        with open(pred, "wb") as f:
            f.write(bytes(range(54)))
        mlflow.log_artifact(pred)
    qlib_run_id = active.info.run_id
frame = mlflow.search_runs(experiment_names=["qlib_workflow"])
check("search_runs DataFrame", list(frame["tags.mlflow.runName"]) == ["qlib-recorder"] and frame["metrics.IC"][0] == 0.05,
      frame.columns.tolist())
qlib_run = client.get_run(qlib_run_id)
check("qlib params", qlib_run.data.params["dataset.segments.train"] == "('2008-01-01', '2014-12-31')")
valid = [(m.step, round(m.value, 9)) for m in client.get_metric_history(qlib_run_id, "valid.mse")]
check("qlib per-step metrics", valid == [(0, 1.1), (1, 1.0), (2, 0.9), (3, 0.8), (4, 0.7)], valid)
with tempfile.TemporaryDirectory() as tmp:
    data = open(client.download_artifacts(qlib_run_id, "pred.pkl", tmp), "rb").read()
    check("binary artifact round trip", data == bytes(range(54)))
check("run FINISHED by the context manager", qlib_run.info.status == "FINISHED")

# ----- dataset inputs (runs/log-inputs) -----
frame_train = pd.DataFrame({"feature": [0.1, 0.2, 0.3], "label": [1, 0, 1]})
frame_valid = pd.DataFrame({"feature": [0.4, 0.5], "label": [0, 1]})
train_ds = mlflow.data.from_pandas(frame_train, source="/data/csi300_train.parquet", name="csi300_train", targets="label")
valid_ds = mlflow.data.from_pandas(frame_valid, source="/data/csi300_valid.parquet", name="csi300_valid", targets="label")
with mlflow.start_run(run_name="qlib-inputs") as active:
    mlflow.log_input(train_ds, context="training")
    mlflow.log_input(train_ds, context="training")  # the same dataset again: stored once
    mlflow.log_input(valid_ds, context="validation")
    inputs_run_id = active.info.run_id
logged = client.get_run(inputs_run_id).inputs.dataset_inputs
by_name = {i.dataset.name: i for i in logged}
check("log_input: two datasets, the repeated one once", sorted(by_name) == ["csi300_train", "csi300_valid"] and len(logged) == 2,
      [(i.dataset.name, i.dataset.digest) for i in logged])
expected_train = train_ds._to_mlflow_entity()
got_train = by_name.get("csi300_train")
check("log_input: dataset fields read back", got_train is not None and dict(got_train.dataset) == dict(expected_train),
      got_train and (dict(got_train.dataset), dict(expected_train)))
check("log_input: context tags", got_train is not None
      and {t.key: t.value for t in got_train.tags} == {"mlflow.data.context": "training"}
      and {t.key: t.value for t in by_name["csi300_valid"].tags} == {"mlflow.data.context": "validation"})
found = mlflow.search_runs(experiment_names=["qlib_workflow"], filter_string="dataset.name = 'csi300_train'")
check("search_runs on dataset.name", list(found["tags.mlflow.runName"]) == ["qlib-inputs"], list(found["tags.mlflow.runName"]))
found = client.search_runs([active.info.experiment_id], "dataset.context = 'validation'")
check("search_runs on dataset.context", [r.info.run_id for r in found] == [inputs_run_id])
raw = client.create_run(active.info.experiment_id, run_name="raw-inputs")
client.log_inputs(raw.info.run_id, [DatasetInput(Dataset(name="raw", digest="0a1b2c3d", source_type="local", source='{"uri": "/raw"}'),
                                                 tags=[InputTag("mlflow.data.context", "eval")])])
raw_inputs = client.get_run(raw.info.run_id).inputs.dataset_inputs
# No schema or profile: absent from the JSON, which MLflow's client reads as "" (Dataset.from_proto), as from its own server.
check("MlflowClient.log_inputs", [(i.dataset.name, i.dataset.schema, i.dataset.profile) for i in raw_inputs] == [("raw", "", "")],
      [dict(i.dataset) for i in raw_inputs])
too_long = DatasetInput(Dataset(name="raw", digest="d" * 37, source_type="local", source="{}"))
# On every backend here; MLflow's own server refuses it over SQL only (its file store checks no dataset limit).
check("log_inputs: digest over 36 refused", error_code(lambda: client.log_inputs(raw.info.run_id, [too_long])) == "INVALID_PARAMETER_VALUE")
check("log_inputs: unknown run", error_code(lambda: client.log_inputs("0" * 32, raw_inputs)) == "RESOURCE_DOES_NOT_EXIST")
client.delete_run(raw.info.run_id)
check("log_inputs: deleted run", error_code(lambda: client.log_inputs(raw.info.run_id, raw_inputs)) == "INVALID_PARAMETER_VALUE")
if inputs_out:
    # For tests/interop/qtrack-server.sh: the store this server wrote is read back by MLflow itself afterwards.
    with open(inputs_out, "w") as f:
        json.dump({"run_id": inputs_run_id, "experiment_id": active.info.experiment_id,
                   "inputs": [{"dataset": dict(i.dataset), "tags": {t.key: t.value for t in i.tags}} for i in logged]}, f)

# ----- renaming to a taken name, /version -----
taken = client.create_experiment("qlib_ref_taken")
expected_code = "RESOURCE_ALREADY_EXISTS" if backend == "file" else "BAD_REQUEST"  # MLflow's file store vs its SQL store
check(f"rename to a taken name is {expected_code}", error_code(lambda: client.rename_experiment(taken, "qlib_workflow")) == expected_code)
check("the refused rename changed nothing", client.get_experiment(taken).name == "qlib_ref_taken")
with urllib.request.urlopen(uri + "/version") as answer:
    version = answer.read().decode()
check("/version is a bare version string", re.fullmatch(r"\d+\.\d+\.\d+\S*", version) is not None, version)

client.delete_experiment(exp_id)
check("deleted experiment", client.get_experiment(exp_id).lifecycle_stage == "deleted")
check("delete twice", error_code(lambda: client.delete_experiment(exp_id)) is not None)

print(f"{len(failures)} failed" if failures else "all checks passed")
sys.exit(1 if failures else 0)
