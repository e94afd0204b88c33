"""What SQLite itself can append into MLflow 2.12's `metrics` table on this machine: the bound on batched logging.

Run:  /usr/bin/python3 bench/sqlite_insert_bound.py [work-dir]
Python's sqlite3.executemany (a C loop over one prepared statement: next to no per-row overhead of its own) inserts the
BatchLogging workload (100 batches of 1,000 points: 10 keys x 100 steps, one run, one transaction per batch) with WAL +
synchronous=NORMAL, as SqlStore does — into MLflow's table (6-column primary key + index_metrics_run_uuid), then into the
same table without the primary key and without the index, to show what the two indexes cost. One line per variant.
"""
import os
import sqlite3
import sys
import tempfile
import time
import uuid

WORK = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="sqlite-bound-")
TABLE = (
    "CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL, "
    "run_uuid VARCHAR(32) NOT NULL, step BIGINT DEFAULT '0' NOT NULL, is_nan BOOLEAN DEFAULT '0' NOT NULL{pk})"
)
PK = ", CONSTRAINT metric_pk PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan)"


def batches(run):
    names = ["loss", "val_loss", "train/ic", "valid/ic"] + [f"metric_{k}" for k in range(4, 10)]
    out = []
    for b in range(100):
        rows = []
        for s in range(100):
            step = b * 100 + s
            for k in range(10):
                rows.append((names[k], 1.0 / (step + k + 1) + 0.001 * k, 1_700_000_000_000 + step, run, step, 0))
        out.append(rows)
    return out


def measure(label, pk, index):
    path = os.path.join(WORK, f"{label}.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(TABLE.format(pk=PK if pk else ""))
    if index:
        db.execute("CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid)")
    work = batches(uuid.uuid4().hex)
    start = time.perf_counter()
    for rows in work:
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows)
        db.execute("COMMIT")
    print(f"{label} {100_000 / (time.perf_counter() - start):.0f} points/s", flush=True)
    db.close()


if __name__ == "__main__":
    print(f"# SQLite {sqlite3.sqlite_version}, work dir {WORK}", flush=True)
    measure("mlflow_schema", pk=True, index=True)
    measure("without_run_uuid_index", pk=True, index=False)
    measure("without_pk_and_index", pk=False, index=False)
