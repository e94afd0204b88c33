"""Reads a QuickStart run back from a real MLflow tracking server with MLflow's own Python client and compares it,
field by field and byte by byte, with the same QuickStart (same seed) recorded into a local file store.

usage: mlflow_server_check.py SERVER_URI REFERENCE_MLRUNS EXPERIMENT
Prints one line per check; exits 1 when anything differs."""
import hashlib
import os
import sys
import tempfile

import mlflow
from mlflow.tracking import MlflowClient

server_uri, reference_store, experiment_name = sys.argv[1:4]
# What legitimately differs between the two recordings: the command line names the --uri.
VOLATILE_PARAMS = {"cmd-sys.argv"}

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def only_run(client, label):
    experiment = client.get_experiment_by_name(experiment_name)
    check(experiment is not None, f"{label}: experiment '{experiment_name}' exists")
    runs = client.search_runs([experiment.experiment_id])
    check(len(runs) == 1, f"{label}: one run in '{experiment_name}' (found {len(runs)})")
    return runs[0]


def artifact_files(client, run_id, path=None):
    files = {}
    for entry in client.list_artifacts(run_id, path):
        if entry.is_dir:
            files.update(artifact_files(client, run_id, entry.path))
        else:
            files[entry.path] = entry.file_size
    return files


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# mlflow-artifacts:/ URIs are resolved against the global tracking URI.
mlflow.set_tracking_uri(server_uri)
server = MlflowClient(tracking_uri=server_uri)
reference = MlflowClient(tracking_uri="file://" + os.path.abspath(reference_store))
run = only_run(server, "server")
ref = only_run(reference, "reference")
print(f"     server run {run.info.run_id} ({run.info.artifact_uri}), reference run {ref.info.run_id}")

check(run.info.status == "FINISHED", f"status {run.info.status} (FINISHED)")
check(run.info.artifact_uri.startswith("mlflow-artifacts:/"), "artifacts are proxied by the server (mlflow-artifacts:/)")

params = {k: v for k, v in run.data.params.items() if k not in VOLATILE_PARAMS}
ref_params = {k: v for k, v in ref.data.params.items() if k not in VOLATILE_PARAMS}
check(params == ref_params and len(params) > 0,
      f"{len(params)} params equal" + ("" if params == ref_params else f": {set(params.items()) ^ set(ref_params.items())}"))
check("cmd-sys.argv" in run.data.params and server_uri in run.data.params["cmd-sys.argv"], "cmd-sys.argv names the server URI")

check(set(run.data.tags) == set(ref.data.tags), f"{len(run.data.tags)} tag keys equal")
differing_tags = {k for k in ref.data.tags if run.data.tags.get(k) != ref.data.tags[k]}
check(not differing_tags, "tag values equal" + (f" except {sorted(differing_tags)}" if differing_tags else ""))

check(set(run.data.metrics) == set(ref.data.metrics), f"{len(run.data.metrics)} metric keys equal")
points = 0
for key in sorted(ref.data.metrics):
    history = [(m.step, m.value) for m in server.get_metric_history(run.info.run_id, key)]
    ref_history = [(m.step, m.value) for m in reference.get_metric_history(ref.info.run_id, key)]
    points += len(history)
    if history != ref_history:
        check(False, f"metric '{key}': server {history[:5]}… vs reference {ref_history[:5]}…")
check(True, f"{points} metric points read back, every step of every key equal to the reference")

files = artifact_files(server, run.info.run_id)
ref_files = artifact_files(reference, ref.info.run_id)
check(files == ref_files and len(files) > 0, f"{len(files)} artifacts listed with the reference's paths and sizes"
      + ("" if files == ref_files else f": {set(files.items()) ^ set(ref_files.items())}"))
with tempfile.TemporaryDirectory() as out:
    local = server.download_artifacts(run.info.run_id, "", out)
    os.makedirs(os.path.join(out, "ref"))
    ref_root = reference.download_artifacts(ref.info.run_id, "", os.path.join(out, "ref"))
    same = [p for p in files if sha256(os.path.join(local, p)) == sha256(os.path.join(ref_root, p))]
    check(len(same) == len(files), f"{len(same)} of {len(files)} artifacts byte for byte equal (downloaded through the server)"
          + ("" if len(same) == len(files) else f"; differ: {sorted(set(files) - set(same))}"))

sys.exit(1 if failures else 0)
