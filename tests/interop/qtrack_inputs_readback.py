"""Real MLflow 2.12, opening the store `qtrack server` wrote (run by tests/interop/qtrack-server.sh after the server stopped).

Usage: qtrack_inputs_readback.py STORE_URI INPUTS_JSON. STORE_URI is the server's backend (a folder for the file store,
sqlite:///… or postgresql://…); INPUTS_JSON is what qtrack_server_check.py logged through the server (QTRACK_INPUTS_OUT).
MLflow's own FileStore / SqlAlchemyStore must read the same dataset inputs back — dataset fields and input tags — and
find the run by a dataset filter. Prints one line per check; exits 1 when any fails.
"""
import json
import sys

from mlflow import MlflowClient

store_uri, inputs_json = sys.argv[1], sys.argv[2]
expected = json.load(open(inputs_json))
failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(name)


def key(entry):
    return entry["dataset"]["name"], entry["dataset"]["digest"]


client = MlflowClient(tracking_uri=store_uri)
print(f"MLflow's own store over {store_uri}")
run = client.get_run(expected["run_id"])
read = [{"dataset": dict(i.dataset), "tags": {t.key: t.value for t in i.tags}} for i in run.inputs.dataset_inputs]
check("MLflow reads the dataset inputs qtrack wrote", sorted(read, key=key) == sorted(expected["inputs"], key=key),
      (read, expected["inputs"]))
for name in sorted(e["dataset"]["name"] for e in expected["inputs"]):
    found = client.search_runs([expected["experiment_id"]], f"dataset.name = '{name}'")
    check(f"MLflow's search finds the run by dataset.name = '{name}'", [r.info.run_id for r in found] == [expected["run_id"]],
          [r.info.run_id for r in found])
print(f"{len(failures)} failed" if failures else "all checks passed")
sys.exit(1 if failures else 0)
