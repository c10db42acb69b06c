#!/usr/bin/env python3
"""Formats results/seg-latency/*.json (scripts/seg_latency_table.sh) as the Markdown table of docs/latency.md.

Usage: scripts/seg_latency_table.py DIR [--csv FILE]   (--csv also writes the rows as CSV)
"""
import argparse
import json
from pathlib import Path

SIZES = [(512, 256), (1024, 512), (2048, 1024)]  # width x height, as segmentation papers write them
SCALES = ["0.5", "1.0", "1.5", "2.0"]


def rows(d):
    for w, h in SIZES:
        for s in SCALES:
            path = d / f"s{s}_{w}x{h}.json"
            if not path.exists():
                continue
            c = json.loads(path.read_text())
            fast, plain, q = c["a"], c["b"], c["ratio_a_over_b"]
            yield {"input": f"{w}x{h}", "scale": s, "macs": fast["macs_per_image"], "threads": c["threads"],
                   "rounds": c["rounds"], "samples_per_round": c["samples_per_round"],
                   "plain_p50_ms": plain["p50_ms"], "fast_p50_ms": fast["p50_ms"], "ratio_median": q["median"],
                   "ratio_min": q["min"], "ratio_max": q["max"], "fast_gmac_per_s": fast["gmac_per_s"],
                   "fast_parts": ",".join(fast["inference"]["fast_applied"]) or "none"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--csv", help="also write the rows to this CSV file")
    args = ap.parse_args()
    table = list(rows(Path(args.dir)))
    print("| input (W x H) | scale | MACs (G) | plain p50 ms | --fast p50 ms | fast/plain median [min, max] "
          "| --fast GMAC/s |")
    print("|---|---:|---:|---:|---:|---|---:|")
    for r in table:
        print(f"| {r['input']} | {r['scale']} | {r['macs'] / 1e9:.2f} | {r['plain_p50_ms']:.1f} "
              f"| {r['fast_p50_ms']:.1f} | {r['ratio_median']:.2f} [{r['ratio_min']:.2f}, {r['ratio_max']:.2f}] "
              f"| {r['fast_gmac_per_s']:.1f} |")
    if args.csv:
        keys = list(table[0].keys()) if table else []
        lines = [",".join(keys)] + [",".join(str(r[k]) for k in keys) for r in table]
        Path(args.csv).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
