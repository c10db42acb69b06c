#!/usr/bin/env python3
"""Formats results/latency/*.json (scripts/latency_table.sh) as the Markdown tables of docs/latency.md."""
import json
import sys
from pathlib import Path

rows = ["espnetv2_s0.5", "espnetv2_s1.0", "espnetv2_s2.0", "mobilenet_v1_1.0", "mobilenet_v2_1.0",
        "shufflenet_v1_g3_1x", "shufflenet_v2_x1.0"]
d = Path(sys.argv[1])
print("| model | MACs (M) | threads | plain p50 ms | plain GMAC/s | --fast p50 ms | --fast GMAC/s | fast parts applied | fast/plain |")
print("|---|---:|---:|---:|---:|---:|---:|---|---:|")
for name in rows:
    plain = json.loads((d / f"{name}.plain.json").read_text())
    fast = json.loads((d / f"{name}.fast.json").read_text())
    macs = plain["macs"]["conv"] + plain["macs"]["linear"]
    for p, f in zip(plain["latency"], fast["latency"]):
        mark = lambda r: "" if r["valid"] else " (noisy)"
        parts = ",".join(f["inference"]["fast_applied"]) or "none"
        print(f"| {name} | {macs / 1e6:.1f} | {p['threads']} | {p['p50_ms']:.2f}{mark(p)} | {p['gmac_per_s']:.1f} "
              f"| {f['p50_ms']:.2f}{mark(f)} | {f['gmac_per_s']:.1f} | {parts} | {f['p50_ms'] / p['p50_ms']:.2f} |")
print()
print("| interleaved comparison (A vs B) | threads | A p50 ms | B p50 ms | A/B ratio median [min, max] |")
print("|---|---:|---:|---:|---|")
for f in sorted(d.glob("compare_*.json")):
    c = json.loads(f.read_text())
    q = c["ratio_a_over_b"]
    print(f"| {c['a']['spec']} vs {c['b']['spec']} | {c['threads']} | {c['a']['p50_ms']:.2f} | {c['b']['p50_ms']:.2f} "
          f"| {q['median']:.3f} [{q['min']:.3f}, {q['max']:.3f}] |")
