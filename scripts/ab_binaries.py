#!/usr/bin/env python3
"""Interleaved A/B timing of two espbench builds (e.g. before and after a change).

Runs the same latency and training-throughput commands with each binary in turn, A B A B ...,
so that the slow phases of a shared machine hit both alike, and prints each round's ratio
B/A with the median and the spread. Ratios above 1 mean B is slower (latency) or faster
(images/s): both are reported as "B costs x A" (time ratio) so that <= 1.05 reads the same way.

Usage: scripts/ab_binaries.py A/espbench B/espbench [--rounds 5] [--threads 2]
       [--model espnetv2] [--fast default] [--samples 200] [--train-steps 30] [--skip-train] [--skip-latency]
"""
import argparse
import json
import statistics
import subprocess
import sys


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def latency_p50(binary, a):
    r = run_json([binary, "measure", a.model, "--latency", "--fast=" + a.fast, "--threads", str(a.threads),
                  "--samples", str(a.samples), "--json"])
    lat = r["latency"]
    entry = lat[0] if isinstance(lat, list) else lat
    return entry["p50_ms"]


def train_ms_per_image(binary, a):
    r = run_json([binary, "bench-train", a.model, "--threads", str(a.threads), "--steps", str(a.train_steps),
                  "--warmup", "5", "--window", "10", "--json"])
    return 1000.0 / r["images_per_s"]["median"]


def summary(name, ratios, values_a, values_b, unit):
    med = statistics.median(ratios)
    print(f"{name}: B/A time ratio median {med:.3f} (rounds {min(ratios):.3f}-{max(ratios):.3f}); "
          f"A median {statistics.median(values_a):.3f} {unit}, B median {statistics.median(values_b):.3f} {unit}")
    return med


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--model", default="espnetv2")
    p.add_argument("--fast", default="default")
    p.add_argument("--samples", type=int, default=200, help="timed inferences per latency run")
    p.add_argument("--train-steps", type=int, default=30)
    p.add_argument("--skip-train", action="store_true")
    p.add_argument("--skip-latency", action="store_true")
    a = p.parse_args()
    probes = []
    if not a.skip_latency:
        probes.append(("latency p50 (--fast %s, %d threads)" % (a.fast, a.threads), latency_p50, "ms"))
    if not a.skip_train:
        probes.append(("bench-train (%d threads)" % a.threads, train_ms_per_image, "ms/image"))
    for name, probe, unit in probes:
        va, vb, ratios = [], [], []
        for i in range(a.rounds):
            x = probe(a.a, a)
            y = probe(a.b, a)
            va.append(x)
            vb.append(y)
            ratios.append(y / x)
            print(f"  {name} round {i + 1}: A {x:.3f} B {y:.3f} {unit}  B/A {y / x:.3f}", flush=True)
        summary(name, ratios, va, vb, unit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
