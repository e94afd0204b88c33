"""Concurrent appends to ONE metric file, then real MLflow reads the experiment.

What it proves: N writer processes appending distinct steps of one run's metric through our store
(FileStore.LogBatch, via the tests/Qlib.Tracked.AppendWriter helper) while real MLflow's own client appends to the
same file (MlflowClient.log_batch on the file store: open(path, "a"), one write per line) leave only lines MLflow
reads: every line passes MLflow's metric-line rule, every point is there once, and MLflow's search_runs and
get_metric_history work on the experiment (one bad line makes MLflow fail the whole experiment's search with
"persisted metric data contained 1 fields").

NOT run in CI, and not run when it was written: it needs real MLflow, which is not installed on the build machine.
CI checks the same line rule with real processes in tests/Qlib.Tracked.Tests/ConcurrentAppendTests.cs.

How to run it by hand (MLflow 2.12 from source with Debian's Python packages; see
/work/shared/reference/mlflow-backends.md section 4):

    apt-get install -y python3-yaml python3-protobuf python3-click python3-cloudpickle python3-git \\
      python3-requests python3-packaging python3-sqlparse python3-sqlalchemy python3-alembic python3-flask \\
      python3-entrypoints python3-tz python3-importlib-metadata python3-cachetools python3-numpy \\
      python3-pandas python3-markdown python3-jinja2 python3-gunicorn python3-dateutil \\
      python3-typing-extensions python3-deprecated
    # upstream MLflow at 18dc54fb5702551315cf62f9ade3cfc6a7ee7dfb (2.12.2.dev0), e.g. from a clone of opendatahub-io/mlflow:
    git -C /path/to/mlflow-clone archive 18dc54fb5 mlflow ':!mlflow/java' ':!mlflow/pypi_package_index.json' | tar -x -C $SRC
    dotnet build tests/Qlib.Tracked.AppendWriter/Qlib.Tracked.AppendWriter.csproj
    PYTHONPATH=$SRC /usr/bin/python3 tests/interop/concurrent_appends_mlflow.py            # 8 writers x 10,000 points, 10 rounds
    PYTHONPATH=$SRC /usr/bin/python3 tests/interop/concurrent_appends_mlflow.py --rounds 1 --keep /tmp/kept

Options: --writers N (8), --points P per writer (10000), --rounds R (10), --writer-dll PATH (default: the helper's
Debug or Release build output), --keep DIR (write the store there and leave it; default a temp folder, deleted).
Exit code 0 when every round passes; 1 with one line per problem otherwise.
"""
import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

KEY = "loss"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# MLflow's writer, in its own process: real MlflowClient.log_batch on the file store, batches of up to 1,000 points
# (MLflow's batch limit). It waits for "go" like our writers, so all of them start appending together.
MLFLOW_WRITER = r"""
import sys
from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

store, run_id, key, first, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def value(step):
    return {7: float("nan"), 8: float("inf"), 9: float("-inf")}.get(step % 1000, step / 1000.0)

client = MlflowClient(tracking_uri="file://" + store)
print("ready", flush=True)
sys.stdin.readline()
step = first
while step < first + count:
    size = min(1 + (step * 7919) % 1000, first + count - step)
    client.log_batch(run_id, metrics=[Metric(key, value(s), 1700000000000 + s, s) for s in range(step, step + size)])
    step += size
"""


def value(step):
    """The point logged at each step (tests/Qlib.Tracked.AppendWriter/ConcurrentPoints.cs spells the same rule)."""
    return {7: float("nan"), 8: float("inf"), 9: float("-inf")}.get(step % 1000, step / 1000.0)


def timestamp(step):
    return 1700000000000 + step


# MLflow 2.12 FileStore._get_metric_from_line: line.strip().split(" "), then int(ts), float(value), int(step); any
# other field count fails the whole search ("persisted metric data contained N fields"). Stricter here where MLflow
# is lenient (2 or 5 fields, padding, '_' in numbers): exactly "timestamp value step", no empty line, the file ends
# with "\n" (an unterminated last line is a torn write).
INT = re.compile(r"^[+-]?[0-9]+$")
FLOAT = re.compile(r"^[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|nan|inf|infinity)$", re.IGNORECASE)


def check_lines(data):
    """(problems, points): one (line number, line, reason) per bad line; (ts, value, step) per good line."""
    problems, points = [], []
    text = data.decode("utf-8", errors="replace")
    lines = text.split("\n")
    if text and not text.endswith("\n"):
        problems.append((len(lines), lines[-1], "the file does not end with '\\n' (a torn last line)"))
    for number, line in enumerate(lines[:-1], start=1):
        if line == "":
            problems.append((number, line, "empty line (MLflow: 'persisted metric data contained 1 fields')"))
            continue
        fields = line.split(" ")
        if len(fields) != 3:
            problems.append((number, line, "%d space-separated fields, expected exactly 3" % len(fields)))
        elif not INT.match(fields[0]) or not FLOAT.match(fields[1]) or not INT.match(fields[2]):
            problems.append((number, line, "not <int> <float> <int>"))
        else:
            points.append((int(fields[0]), float(fields[1]), int(fields[2])))
    return problems, points


def same_value(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def check_points(points, steps, what):
    """Every step in range(steps) exactly once, with its timestamp and value; returns the problems."""
    problems, seen = [], set()
    for ts, val, step in points:
        if not 0 <= step < steps:
            problems.append("%s: step %d was never logged" % (what, step))
        elif step in seen:
            problems.append("%s: step %d is there twice" % (what, step))
        elif ts != timestamp(step) or not same_value(val, value(step)):
            problems.append("%s: step %d has timestamp %d and value %r, not the ones logged" % (what, step, ts, val))
        seen.add(step)
    if len(seen) != steps:
        problems.append("%s: %d of %d points are missing" % (what, steps - len(seen & set(range(steps))), steps))
    return problems[:10]


def find_writer_dll(given):
    if given:
        return given
    for configuration in ("Release", "Debug"):
        dll = os.path.join(REPO, "tests", "Qlib.Tracked.AppendWriter", "bin", configuration, "net10.0", "Qlib.Tracked.AppendWriter.dll")
        if os.path.exists(dll):
            return dll
    sys.exit("Qlib.Tracked.AppendWriter.dll not found: dotnet build tests/Qlib.Tracked.AppendWriter/Qlib.Tracked.AppendWriter.csproj (or pass --writer-dll)")


def start(args):
    return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_round(round_number, store, dll, writers, points):
    created = subprocess.run(["dotnet", dll, "create", store, "concurrent-appends"], capture_output=True, text=True, check=True)
    run_id = created.stdout.strip()
    processes = [start(["dotnet", dll, "append", store, run_id, KEY, str(w * points), str(points), str(round_number * 100 + w)])
                 for w in range(writers)]
    processes.append(start([sys.executable, "-c", MLFLOW_WRITER, store, run_id, KEY, str(writers * points), str(points)]))
    try:
        for process in processes:
            line = process.stdout.readline().strip()
            if line != "ready":
                raise RuntimeError("a writer did not start: %r %s" % (line, process.stderr.read()))
        for process in processes:  # all loaded: now they append at once
            process.stdin.write("go\n")
            process.stdin.close()
        for process in processes:
            if process.wait(timeout=600) != 0:
                raise RuntimeError("a writer failed (exit %d): %s" % (process.returncode, process.stderr.read()))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    return run_id


def mlflow_reads(store, run_id, steps):
    """Problems real MLflow has reading the experiment and the run's metric."""
    import mlflow
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri="file://" + store)
    experiment = client.get_experiment_by_name("concurrent-appends")
    problems = []
    # The search the issue saw failing: every run of the experiment, metrics included.
    runs = client.search_runs([experiment.experiment_id], max_results=1000)
    if run_id not in [r.info.run_id for r in runs]:
        problems.append("MlflowClient.search_runs did not return run %s" % run_id)
    mlflow.set_tracking_uri("file://" + store)
    frame = mlflow.search_runs(experiment_ids=[experiment.experiment_id])
    row = frame[frame["run_id"] == run_id]
    latest = value(steps - 1)  # MLflow's latest value: the highest step
    if len(row) != 1 or not same_value(float(row["metrics." + KEY].iloc[0]), latest):
        problems.append("mlflow.search_runs: run %s's %s is not the highest step's value %r" % (run_id, KEY, latest))
    history = client.get_metric_history(run_id, KEY)
    problems += check_points([(m.timestamp, m.value, m.step) for m in history], steps, "MlflowClient.get_metric_history")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--points", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--writer-dll")
    parser.add_argument("--keep")
    options = parser.parse_args()
    try:
        import mlflow
    except ImportError:
        sys.exit("MLflow is not importable: set PYTHONPATH to an MLflow 2.12 source tree (see the top of this file)")
    print("MLflow", mlflow.__version__)
    dll = find_writer_dll(options.writer_dll)
    folder = options.keep or tempfile.mkdtemp(prefix="concurrent-appends-")
    store = os.path.join(os.path.abspath(folder), "mlruns")
    steps = (options.writers + 1) * options.points
    failures = 0
    try:
        for round_number in range(options.rounds):
            run_id = run_round(round_number, store, dll, options.writers, options.points)
            experiment_folder = [d for d in os.listdir(store) if os.path.isdir(os.path.join(store, d, run_id))][0]
            with open(os.path.join(store, experiment_folder, run_id, "metrics", KEY), "rb") as f:
                line_problems, points = check_lines(f.read())
            problems = ["line %d %r: %s" % p for p in line_problems[:10]]
            if line_problems:
                problems.insert(0, "%d lines MLflow cannot read (%d empty)" % (len(line_problems), sum(1 for p in line_problems if p[1] == "")))
            problems += check_points(points, steps, "the file")
            problems += mlflow_reads(store, run_id, steps)
            print("round %d: run %s, %d writers + MLflow, %d points: %s" %
                  (round_number, run_id, options.writers, steps, "ok" if not problems else "%d problems" % len(problems)))
            for problem in problems:
                print("  " + problem)
            failures += bool(problems)
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print("%d of %d rounds failed" % (failures, options.rounds))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
