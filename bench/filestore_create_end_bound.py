"""The file system's floor for run create + end in MLflow's `mlruns/` layout: the system calls alone, no tracking code.

Run:  /usr/bin/python3 bench/filestore_create_end_bound.py WORK [RUNS] [MODE …]
WORK must be on the file system the benchmarks use (QTRK_BENCH_DIR); each mode gets a fresh experiment folder there,
kept afterwards (deleting thousands of inodes slows the next inode allocations on this VM's ext4: bench/README.md,
"Session 4"). One line per mode: runs/s (wall) and process CPU per run (user + system).

Modes (bench/README.md, "Session 8"):
  ours    the calls Qlib.Tracked's FileStore makes for CreateRun (3 tags) + SetTerminated, as strace shows them: one
          statx of the experiment's meta; mkdir of the run folder, metrics/, params/, tags/; 4 tag files (open, write,
          close); meta.yaml through a temp file renamed into place; at the end a temp file exchanged with meta.yaml
          (renameat2 RENAME_EXCHANGE) and the old one unlinked; the statx of meta.yaml after each write and at the end.
  mlflow  the file writes MLflow 2.12's FileStore makes for create_run (3 tags) + set_terminated, without its
          listings and reads: mkdir of the run folder, meta.yaml written in place, metrics/, params/, artifacts/,
          tags/, 4 tag files (mlflow.runName written twice), meta.yaml rewritten in place twice.
  nodirs  `ours` without the three sub-folders (what they cost; not a layout MLflow reads the same way).
Python's own cost per call (~0.5 µs) is in every mode; it is small against the kernel's work for a new inode.
"""
import ctypes
import os
import sys
import time
import uuid

WORK = sys.argv[1]
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
MODES = sys.argv[3:] or ["ours", "mlflow", "nodirs"]
META = b"artifact_uri: file:///" + b"x" * 150 + b"/artifacts\nend_time: null\n" + b"k: v\n" * 60
TAGS = [("mlflow.user", b"root"), ("mlflow.source.name", b"bench"), ("mlflow.source.type", b"LOCAL"), ("mlflow.runName", b"brave-cat-123")]
CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2


def write_file(path, data, flags=CREATE):
    fd = os.open(path, flags, 0o666)
    os.write(fd, data)
    os.close(fd)


def exchange(source, target):
    if libc.renameat2(AT_FDCWD, source.encode(), AT_FDCWD, target.encode(), RENAME_EXCHANGE) != 0:
        raise OSError(ctypes.get_errno(), "renameat2", target)


def ours(experiment, with_dirs=True):
    os.stat(os.path.join(experiment, "meta.yaml"))
    run = os.path.join(experiment, uuid.uuid4().hex)
    os.mkdir(run)
    tags = os.path.join(run, "tags")
    if with_dirs:
        os.mkdir(os.path.join(run, "metrics"))
        os.mkdir(os.path.join(run, "params"))
        os.mkdir(tags)
    for key, value in TAGS:
        write_file(os.path.join(tags if with_dirs else run, key), value)
    meta = os.path.join(run, "meta.yaml")
    temp = os.path.join(run, f".meta.yaml.{uuid.uuid4().hex}.tmp")
    write_file(temp, META, CREATE_NEW)
    os.rename(temp, meta)
    os.stat(meta)
    os.stat(meta)  # the end's check that the run is still active
    temp = os.path.join(run, f".meta.yaml.{uuid.uuid4().hex}.tmp")
    write_file(temp, META, CREATE_NEW)
    exchange(temp, meta)
    os.unlink(temp)
    os.stat(meta)


def mlflow(experiment):
    run = os.path.join(experiment, uuid.uuid4().hex)
    os.mkdir(run)
    meta = os.path.join(run, "meta.yaml")
    write_file(meta, META)
    for sub in ("metrics", "params", "artifacts", "tags"):
        os.mkdir(os.path.join(run, sub))
    for key, value in TAGS + TAGS[-1:]:
        write_file(os.path.join(run, "tags", key), value)
    write_file(meta, META)
    write_file(meta, META)


def main():
    for mode in MODES:
        experiment = os.path.join(WORK, f"bound-{mode}-{time.time_ns()}", "mlruns", "1")
        os.makedirs(experiment)
        write_file(os.path.join(experiment, "meta.yaml"), META)
        step = {"ours": ours, "mlflow": mlflow, "nodirs": lambda e: ours(e, with_dirs=False)}[mode]
        for _ in range(50):  # warm-up
            step(experiment)
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(RUNS):
            step(experiment)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"bound_{mode}_runs_per_s {RUNS / wall:.1f} runs/s (process CPU {cpu / RUNS * 1e6:.0f} µs/run)", flush=True)


if __name__ == "__main__":
    main()
