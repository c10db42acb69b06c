#!/usr/bin/env python3
"""Formats results/seg-latency/*.json (scripts/seg_latency_table.sh) as the Markdown table of docs/latency.md.

Usage: scripts/seg_latency_table.py DIR [--csv FILE]   (--csv also writes the rows as CSV)
"""
import argparse
import json
from pathlib import Path

SIZES = [(512, 256), (1024, 512), (2048, 1024)]  # width x height, as segmentation papers write them
SCALES = ["0.5", "1.0", "1.5", "2.0"]


def first(lat):
    return lat[0] if isinstance(lat, list) else lat


def rows(d):
    for w, h in SIZES:
        for s in SCALES:
            plain, fast = d / f"s{s}_{w}x{h}.plain.json", d / f"s{s}_{w}x{h}.fast.json"
            if not plain.exists() or not fast.exists():
                continue
            p, f = json.loads(plain.read_text()), json.loads(fast.read_text())
            lp, lf = first(p["latency"]), first(f["latency"])
            yield {"input": f"{w}x{h}", "scale": s, "conv_macs": p["macs"]["conv"], "threads": lp["threads"],
                   "plain_p50_ms": lp["p50_ms"], "plain_valid": lp["valid"], "fast_p50_ms": lf["p50_ms"],
                   "fast_valid": lf["valid"], "fast_gmac_per_s": lf["gmac_per_s"], "samples": lf["samples"],
                   "fast_parts": ",".join(lf["inference"]["fast_applied"]) or "none"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--csv", help="also write the rows to this CSV file")
    args = ap.parse_args()
    d = Path(args.dir)
    table = list(rows(d))
    mark = lambda ok: "" if ok else " (noisy)"
    print("| input (W x H) | scale | conv MACs (G) | threads | plain p50 ms | --fast p50 ms | fast/plain | --fast GMAC/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in table:
        print(f"| {r['input']} | {r['scale']} | {r['conv_macs'] / 1e9:.2f} | {r['threads']} "
              f"| {r['plain_p50_ms']:.1f}{mark(r['plain_valid'])} | {r['fast_p50_ms']:.1f}{mark(r['fast_valid'])} "
              f"| {r['fast_p50_ms'] / r['plain_p50_ms']:.2f} | {r['fast_gmac_per_s']:.1f} |")
    if args.csv:
        keys = list(table[0].keys()) if table else []
        lines = [",".join(keys)] + [",".join(str(r[k]) for k in keys) for r in table]
        Path(args.csv).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
