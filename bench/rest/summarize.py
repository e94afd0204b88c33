"""Summary of bench/rest/run-rest-bench.sh's results.tsv (lines: round, side, load average, tag, fields; tags: RESULT from
the load generator, REST ours, PY the Python client). Prints medians over rounds, and per round our points/s as a
fraction of that round's log-batch ceiling (the mean of the two 1-client load-generator measurements that bracket our
sides on the same server; our logging uses one connection) and as a multiple of the Python client's per-call log_metric."""
import statistics
import sys
from collections import defaultdict

per_round = defaultdict(dict)   # round -> figure -> value
latency = defaultdict(list)     # loadgen figure -> (p50, p99)
loads = []
for line in open(sys.argv[1]):
    rnd, side, load, tag, *f = line.rstrip("\n").split("\t")
    loads.append(float(load))
    if tag == "RESULT":         # workload clients ops seconds ops/s req/s points/s p50 p99 max
        key = f"server log-batch ceiling, {f[1]} client(s) ({side})"
        per_round[rnd][key] = float(f[6])
        latency[key].append((float(f[7]), float(f[8])))
    elif tag == "REST":         # what points seconds points/s
        per_round[rnd][f"ours: {f[0]}"] = float(f[3])
    elif tag == "PY":           # what count seconds per second
        per_round[rnd][f"Python client: {f[0]}"] = float(f[3])

rounds = sorted(per_round, key=int)
keys = list(dict.fromkeys(k for r in rounds for k in per_round[r]))
ceiling = {r: statistics.mean(v for k, v in per_round[r].items() if k.startswith("server log-batch ceiling, 1 client")) for r in rounds}
py = {r: per_round[r].get("Python client: log_metric") for r in rounds}


def fmt(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


print(f"{len(rounds)} round(s); 1-minute load average at the sides: min {min(loads)}, median {statistics.median(loads)}, max {max(loads)}")
print()
print("| what | median | rounds | median of per-round % of ceiling | median of per-round × Python log_metric |")
print("|---|---:|---|---:|---:|")
for key in keys:
    values = [per_round[r][key] for r in rounds if key in per_round[r]]
    unit = "calls/s" if key.endswith("log_metric") else "points/s"
    name = key
    if key in latency:
        name += f", p50 {statistics.median(l[0] for l in latency[key]):,.0f} ms, p99 {statistics.median(l[1] for l in latency[key]):,.0f} ms"
    pct = times = ""
    if not key.endswith("log_metric"):
        pct = f"{statistics.median(100 * per_round[r][key] / ceiling[r] for r in rounds if key in per_round[r]):.0f} %"
    if key.startswith("ours") and all(py[r] for r in rounds):
        times = f"{statistics.median(per_round[r][key] / py[r] for r in rounds if key in per_round[r]):,.0f}×"
    print(f"| {name} | {fmt(statistics.median(values))} {unit} | {', '.join(fmt(v) for v in values)} | {pct} | {times} |")
