"""Reads an mlruns store with PyYAML, the library MLflow's file store reads and writes meta.yaml with.

For every meta.yaml: yaml.safe_load must give the field types MLflow expects, and
yaml.safe_dump(default_flow_style=False, allow_unicode=True) (MLflow's writer settings, keys sorted)
must reproduce the file byte for byte. Every metric line must parse as "<int> <float> <int>" with
Python's int()/float(), and the value must be spelled as Python's str(float) spells it.
Prints one line per problem and "checked N files" at the end; exits 1 on any problem.
"""
import os
import sys

import yaml

root = sys.argv[1]
problems = []
checked = 0

EXPERIMENT_KEYS = {"artifact_location": str, "creation_time": int, "experiment_id": str,
                   "last_update_time": int, "lifecycle_stage": str, "name": str}
RUN_KEYS = {"artifact_uri": str, "end_time": (int, type(None)), "entry_point_name": str, "experiment_id": str,
            "lifecycle_stage": str, "run_id": str, "run_name": str, "run_uuid": str, "source_name": str,
            "source_type": int, "source_version": str, "start_time": int, "status": int, "tags": list,
            "user_id": str}


def check_meta(path, expected):
    global checked
    with open(path, "rb") as f:
        raw = f.read()
    data = yaml.safe_load(raw.decode("utf-8"))
    for key, kind in expected.items():
        if key not in data:
            problems.append(f"{path}: missing key {key}")
        elif not isinstance(data[key], kind):
            problems.append(f"{path}: {key} is {type(data[key]).__name__}")
    dumped = yaml.safe_dump(data, default_flow_style=False, allow_unicode=True).encode("utf-8")
    if dumped != raw:
        problems.append(f"{path}: PyYAML writes it differently:\n{dumped!r}\nvs\n{raw!r}")
    checked += 1


def check_metrics(folder):
    global checked
    for dirpath, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            if not text.endswith("\n"):
                problems.append(f"{path}: last line not terminated")
            for line in text.splitlines():
                parts = line.split(" ")
                if len(parts) != 3:
                    problems.append(f"{path}: {len(parts)} fields in {line!r}")
                    continue
                int(parts[0]); int(parts[2])
                if str(float(parts[1])) != parts[1]:
                    problems.append(f"{path}: value {parts[1]!r} is not Python's spelling {str(float(parts[1]))!r}")
            checked += 1


for entry in sorted(os.listdir(root)):
    exp = os.path.join(root, entry)
    if entry.startswith(".") or not os.path.isdir(exp):
        continue
    check_meta(os.path.join(exp, "meta.yaml"), EXPERIMENT_KEYS)
    for run in sorted(os.listdir(exp)):
        run_dir = os.path.join(exp, run)
        if run in ("tags", "datasets") or not os.path.isdir(run_dir):
            continue
        check_meta(os.path.join(run_dir, "meta.yaml"), RUN_KEYS)
        check_metrics(os.path.join(run_dir, "metrics"))

for p in problems:
    print(p)
print(f"checked {checked} files")
sys.exit(1 if problems else 0)
