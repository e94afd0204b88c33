"""Summary of bench/rest/run-rest-bench.sh's results.tsv (lines in the order measured: round, side, load average, tag,
fields; tags: RESULT from the load generator, REST ours, PY the Python client). For every figure, per round: its value,
its fraction of the server's log-batch ceiling around it (the mean of the 1-client load-generator measurements just
before and just after it on the same server), and for ours the multiple of the round's Python per-call log_metric;
then the medians over rounds."""
import statistics
import sys
from collections import defaultdict

lines = defaultdict(list)  # round -> [(name, value, load, p50, p99)] in order
for line in open(sys.argv[1]):
    rnd, side, load, tag, *f = line.rstrip("\n").split("\t")
    if tag == "RESULT":         # workload clients ops seconds ops/s req/s points/s p50 p99 max
        name = "ceiling" if f[1] == "1" else f"ceiling, {f[1]} clients"
        lines[rnd].append((name, float(f[6]), float(load), float(f[7]), float(f[8])))
    elif tag == "REST":         # what points seconds points/s
        lines[rnd].append((f"ours: {f[0]}", float(f[3]), float(load), None, None))
    elif tag == "PY":           # what count seconds per second
        lines[rnd].append((f"Python client: {f[0]}", float(f[3]), float(load), None, None))


def fmt(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


figures = defaultdict(lambda: defaultdict(list))  # name -> kind -> values
loads = []
for rnd, seq in lines.items():
    ceilings = [i for i, l in enumerate(seq) if l[0] == "ceiling"]
    py = next((l[1] for l in seq if l[0] == "Python client: log_metric"), None)
    for i, (name, value, load, p50, p99) in enumerate(seq):
        loads.append(load)
        figures[name]["value"].append(value)
        if p50 is not None:
            figures[name]["p50"].append(p50)
            figures[name]["p99"].append(p99)
        if name == "ceiling" or name.endswith("log_metric"):
            continue
        before = [seq[j][1] for j in ceilings if j < i][-1:]
        after = [seq[j][1] for j in ceilings if j > i][:1]
        if before + after:
            figures[name]["pct"].append(100 * value / statistics.mean(before + after))
        if name.startswith("ours") and py:
            figures[name]["times"].append(value / py)

print(f"{len(lines)} round(s); 1-minute load average at the start of each side: min {min(loads)}, median {statistics.median(loads)}, max {max(loads)}")
print()
print("| what | median | every measurement | % of the ceiling around it (median; every round) | × Python log_metric (median) |")
print("|---|---:|---|---:|---:|")
for name, kinds in figures.items():
    values = kinds["value"]
    unit = "calls/s" if name.endswith("log_metric") else "points/s"
    label = name
    if kinds["p50"]:
        label += f" (p50 {statistics.median(kinds['p50']):,.0f} ms, p99 {statistics.median(kinds['p99']):,.0f} ms per request)"
    pct = f"{statistics.median(kinds['pct']):.0f} % ({', '.join(f'{p:.0f}' for p in kinds['pct'])})" if kinds["pct"] else ""
    times = f"{statistics.median(kinds['times']):,.0f}×" if kinds["times"] else ""
    print(f"| {label} | {fmt(statistics.median(values))} {unit} | {', '.join(fmt(v) for v in values)} | {pct} | {times} |")
