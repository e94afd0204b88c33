#!/usr/bin/env python3
"""Prints issue 15's table from bench/server/run-server-bench.sh's output folder: per workload and client count, each
server's operations per second and p99 latency, and qtrack server's speed-up over MLflow's (target: >= 20x).

    bench/server/summarize.py OUT_DIR

An operation is what the load generator times as one: one log-batch of 1,000 points, one runs/search (first page of
100 of the 1,000 matching runs), one whole 100,000-point history (one request on MLflow 2.12, which does not page; four
25,000-point pages on qtrack server, whose client follows the pages), one runs/create + runs/update pair.
"""
import pathlib
import sys

TARGET = 20.0


def results(path):
    """{(workload, clients): (ops/s, p50 ms, p99 ms, ops)} from a load generator's RESULT lines."""
    found = {}
    for line in path.read_text().splitlines():
        if line.startswith("RESULT\t"):
            # ops/s from ops and seconds: the RESULT line rounds it to 0.1, too coarse for MLflow's 100,000-point history.
            _, workload, clients, ops, seconds, _ops_s, _req_s, _points_s, p50, p99, _max = line.split("\t")
            found[(workload, int(clients))] = (int(ops) / float(seconds), float(p50), float(p99), int(ops))
    return found


def main(out):
    out = pathlib.Path(out)
    # qtrack-base (BASE_QTRACK_DLL: another commit's server, same sitting) gets its own table against MLflow.
    for name in ("qtrack-base", "qtrack"):
        if (out / name / "loadgen.txt").exists():
            table(out, name)
    for server in ("mlflow", "qtrack-base", "qtrack"):
        load = out / server / "load.txt"
        if load.exists():
            print(f"\n{server}: 1/5/15-minute load average " + "; ".join(load.read_text().split("\n")).strip("; "))


def table(out, name):
    mlflow, qtrack = results(out / "mlflow" / "loadgen.txt"), results(out / name / "loadgen.txt")
    print(f"\n{name}:\n")
    print(f"| workload | clients | mlflow ops/s | {name} ops/s | ratio | mlflow p99 ms | {name} p99 ms | ≥ 20× |")
    print("|---|---:|---:|---:|---:|---:|---:|:---:|")
    missed = []
    for key in mlflow:
        if key not in qtrack:
            continue
        m, q = mlflow[key], qtrack[key]
        ratio = q[0] / m[0]
        met = ratio >= TARGET
        if not met:
            missed.append(f"{key[0]} × {key[1]}")
        print(f"| {key[0]} | {key[1]} | {m[0]:,.{2 if m[0] < 1 else 1}f} | {q[0]:,.1f} | {ratio:,.1f}× | {m[2]:,.1f} | {q[2]:,.1f} | {'yes' if met else 'no'} |")
    print("\nmissed: " + (", ".join(missed) if missed else "none"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
