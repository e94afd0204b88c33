"""What SQLite itself needs to create and end a run in MLflow 2.12's schema on this machine: the bound on create + end.

Run:  /usr/bin/python3 bench/sqlite_create_end_bound.py [work-dir] [runs]
The statements SqlStore sends for TrackingClient.CreateRun (3 tags + mlflow.runName) + SetTerminated, each call one
transaction as in SqlStore: BEGIN IMMEDIATE; the experiment's row; INSERT runs; 4 x INSERT tags; COMMIT — then
BEGIN IMMEDIATE; UPDATE runs ... RETURNING; COMMIT. Python's sqlite3 with its statement cache (prepared once), WAL +
synchronous=NORMAL, in a database created from MLflow's schema (tests/Fixtures/mlflow-sqlite-reference/schema.sql:
runs has its primary-key index; tags its primary key (key, run_uuid) and index_tags_run_uuid, so one run dirties
about 9 pages). Variants show what the WAL checkpoints (every 1,000 pages by default: an fsync of the WAL, the pages
copied into the database, an fsync of the database) and the memory map cost. One line per variant: runs/s by the
wall clock and by the process's CPU time (the latter moves less on a shared machine).
"""
import os
import sqlite3
import sys
import tempfile
import time
import uuid

WORK = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="sqlite-create-bound-")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Fixtures", "mlflow-sqlite-reference", "schema.sql")
TAGS = [("mlflow.user", "bench"), ("mlflow.source.name", "bench"), ("mlflow.source.type", "LOCAL")]


def create_database(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript("".join(line for line in open(SCHEMA) if not line.startswith("--")))
    db.execute("INSERT INTO experiments VALUES (1, 'bench', '/tmp/mlruns/1', 'active', 0, 0)")
    db.close()


def measure(label, pragmas):
    path = os.path.join(WORK, f"{label}.db")
    create_database(path)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    for pragma in pragmas:
        db.execute(pragma)
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(RUNS):
        run = uuid.uuid4().hex
        db.execute("BEGIN IMMEDIATE")
        db.execute("SELECT artifact_location, lifecycle_stage FROM experiments WHERE experiment_id = ?", (1,)).fetchall()
        db.execute(
            "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, "
            "source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time) VALUES "
            "(?, ?, 'UNKNOWN', '', '', ?, 'RUNNING', ?, NULL, '', 'active', ?, ?, NULL)",
            (run, f"run-{i}", "bench", 1_700_000_000_000 + i, f"/tmp/mlruns/1/{run}/artifacts", 1))
        for key, value in TAGS + [("mlflow.runName", f"run-{i}")]:
            db.execute('INSERT INTO tags ("key", value, run_uuid) VALUES (?, ?, ?)', (key, value, run))
        db.execute("COMMIT")
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "UPDATE runs SET status = ?, end_time = ?, name = COALESCE(?, name) WHERE run_uuid = ? AND lifecycle_stage = 'active' "
            "RETURNING run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage, deleted_time",
            ("FINISHED", 1_700_000_000_001 + i, None, run)).fetchall()
        db.execute("COMMIT")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label} {RUNS / wall:.0f} runs/s (CPU: {RUNS / cpu:.0f} runs/s)", flush=True)
    db.close()


if __name__ == "__main__":
    print(f"# SQLite {sqlite3.sqlite_version}, {RUNS} runs, work dir {WORK}", flush=True)
    measure("as_sqlstore", ["PRAGMA mmap_size = 268435456"])
    measure("without_mmap", [])
    measure("checkpoint_every_10000_pages", ["PRAGMA mmap_size = 268435456", "PRAGMA wal_autocheckpoint = 10000"])
    measure("no_checkpoint", ["PRAGMA mmap_size = 268435456", "PRAGMA wal_autocheckpoint = 0"])
