#!/usr/bin/env python3
"""Times, interleaved in one run, the config pairs of a sweep whose MACs and measured latency disagree.

A sweep's trained models are each timed once, right after training, minutes or hours apart; on a
machine whose speed drifts two such timings compare poorly. The README names the pairs where MACs and
those timings disagree most (scripts/docs-tables.py: a config with at least 10% fewer MACs that takes
at least 10% longer, and configs with MACs within 10% whose latency differs by at least 10%). This
script times each of those pairs with `espbench compare` (the two models alternate round by round),
REPEATS times, on the path, input and thread count the sweep timed, and writes the ratios to
results/latency-pairs/SWEEP.json, which scripts/docs-tables.py prints beside each pair.

Usage: scripts/latency_pairs.py SWEEP [--bin build/espbench] [--most 4] [--repeats 3] [--rounds 10]
                                [--samples 20]

The models are rebuilt from each config's report (model name and every resolved option); a side whose
MACs differ from the sweep's is refused. Weights do not change the work of an inference, so the models
are timed as built. The pairs depend on the sweep's own timings: rerun this after the sweep gains runs.
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def docs_tables():
    spec = importlib.util.spec_from_file_location("docs_tables", ROOT / "scripts" / "docs-tables.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def compare_spec(model, path):
    """`espbench compare`'s side for a report's model: NAME:key=value,...@PATH (values as compact JSON)."""
    opts = ",".join(f"{k}={json.dumps(v, separators=(',', ':'))}" for k, v in sorted(model["options"].items()))
    return f"{model['name']}:{opts}@{path}"


def label_models(dt, name):
    """{config label: the model section of its first run's resolved config}."""
    out = {}
    for g in dt.sweep_groups(name):
        out[g[0]["label"]] = dt.run_config(name, g[0])["model"]
    return out


def time_pair(args, a, b, spec_a, spec_b, lat):
    st = lat["settings"]
    cmd = [args.bin, "compare", spec_a, spec_b, "--input", "x".join(str(d) for d in lat["input"][1:]),
           "--threads", str(st["threads"]), "--batch", str(st["batch"]), "--rounds", str(args.rounds),
           "--samples", str(args.samples), "--json"]
    runs = []
    for _ in range(args.repeats):
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{a['label']} against {b['label']}: espbench compare failed (exit {done.returncode}): "
                     f"{done.stdout.strip() or done.stderr.strip() or 'no output'}")
        runs.append(json.loads(done.stdout))
        if len(runs) > 1:
            continue
        for side, row in (("a", a), ("b", b)):  # refused after the first run, before the repeats
            if runs[0][side]["macs_per_image"] != row["macs"]:
                sys.exit(f"{row['label']}: the rebuilt model has {runs[0][side]['macs_per_image']} MACs per image, "
                         f"the sweep's config {row['macs']}: its report's options do not rebuild it")
    medians = [r["ratio_a_over_b"]["median"] for r in runs]
    return {
        "a": a["label"], "b": b["label"], "spec_a": spec_a, "spec_b": spec_b,
        "macs_a": a["macs"], "macs_b": b["macs"],
        "sweep_ms_a": a["ms"], "sweep_ms_b": b["ms"],
        "ratio_a_over_b": {"median": statistics.median(medians), "min": min(medians), "max": max(medians),
                           "per_run": medians},
        "runs": [{"ratio_a_over_b": r["ratio_a_over_b"], "p50_ms_a": r["a"]["p50_ms"], "p50_ms_b": r["b"]["p50_ms"],
                  "cv_a": r["a"]["cv"], "cv_b": r["b"]["cv"], "quiet": r.get("quiet")} for r in runs],
        "context": runs[0]["context"],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sweep", help="a sweep folder name under results/ whose runs carry latency blocks")
    ap.add_argument("--bin", default=str(ROOT / "build" / "espbench"), help="the espbench binary")
    ap.add_argument("--most", type=int, default=4, help="pairs of each kind, widest first (the README's 4)")
    ap.add_argument("--repeats", type=int, default=3, help="compare runs per pair (default 3)")
    ap.add_argument("--rounds", type=int, default=10, help="A/B rounds per compare run (default 10)")
    ap.add_argument("--samples", type=int, default=20, help="inferences per side per round (default 20)")
    args = ap.parse_args()
    if args.repeats < 1 or args.rounds < 1 or args.samples < 1 or args.most < 1:
        sys.exit("--most, --repeats, --rounds and --samples must be at least 1")
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"--bin: {args.bin} is not an executable espbench (build it with scripts/build.sh)")
    dt = docs_tables()
    rows = dt.latency_rows(args.sweep)
    if not rows:
        sys.exit(f"results/{args.sweep}: no finished run carries a latency block (measure.latency)")
    lat = dt.latency_settings(args.sweep)
    _, head = dt.latency_paths(lat["settings"], rows)
    if head is None:
        sys.exit(f"results/{args.sweep}: no latency path was timed for every config")
    models = label_models(dt, args.sweep)
    pairs = (dt.latency_inversions(rows, head, dt.LATENCY_MARGIN)[:args.most]
             + dt.latency_splits(rows, head, dt.LATENCY_MARGIN)[:args.most])
    out = {
        "sweep": args.sweep, "path": head, "input": lat["input"], "threads": lat["settings"]["threads"],
        "batch": lat["settings"]["batch"], "rounds": args.rounds, "samples": args.samples,
        "repeats": args.repeats,
        "command": f"scripts/latency_pairs.py {args.sweep} --most {args.most} --repeats {args.repeats} "
                   f"--rounds {args.rounds} --samples {args.samples}",
        "pairs": [],
    }
    for _, a, b in pairs:
        spec_a, spec_b = compare_spec(models[a["label"]], head), compare_spec(models[b["label"]], head)
        out["pairs"].append(time_pair(args, a, b, spec_a, spec_b, lat))
        q = out["pairs"][-1]["ratio_a_over_b"]
        print(f"{a['label']} / {b['label']} ({head}): median {q['median']:.2f} over {args.repeats} runs "
              f"({q['min']:.2f}-{q['max']:.2f}); the sweep's timings {a['ms'][head] / b['ms'][head]:.2f}")
    dest = ROOT / "results" / "latency-pairs" / f"{args.sweep}.json"
    dest.parent.mkdir(exist_ok=True)
    tmp = dest.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(out, indent=2) + "\n")
    os.replace(tmp, dest)
    print(f"{len(out['pairs'])} pair(s): {dest.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
