#!/usr/bin/env python3
"""Figures for one partner's daemon: idle memory and `hearth reflect list`
latency with many reflections, through real processes.

    python3 tests/bench/bench_daemon.py [--bin-dir build/dev] [--count 10000]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))

# As in harness.py: nothing broadcast on the LAN and no beacons heard.
NO_LAN = ("--discovery-port", "0", "--beacon-to", "127.0.0.1:9")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def timed(cmd, runs):
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "dev"))
    ap.add_argument("--count", type=int, default=10000)
    args = ap.parse_args()
    hearth = os.path.join(args.bin_dir, "client", "hearth")
    hearthd = os.path.join(args.bin_dir, "node", "hearthd")
    fill = os.path.join(args.bin_dir, "tests", "bench", "hearth_bench_fill")
    root = tempfile.mkdtemp(prefix="hearth-bench-")
    home = os.path.join(root, "home")
    daemon = None
    try:
        subprocess.run([hearth, "--home", home, "init", "--no-passphrase"], check=True,
                       stdout=subprocess.DEVNULL)
        daemon = subprocess.Popen([hearthd, "--home", home, "--log-level", "warn", *NO_LAN])
        time.sleep(1.0)
        print(f"hearthd idle RSS, empty store: {rss_kib(daemon.pid) / 1024:.1f} MiB")
        daemon.terminate()
        daemon.wait()

        t = time.perf_counter()
        subprocess.run([fill, "--home", home, "--count", str(args.count), "--durable"], check=True)
        print(f"filled {args.count} reflections in {time.perf_counter() - t:.1f} s")

        daemon = subprocess.Popen([hearthd, "--home", home, "--log-level", "warn", *NO_LAN])
        time.sleep(1.0)
        base = [hearth, "--home", home]
        med, p90 = timed(base + ["reflect", "list"], 30)
        print(f"hearth reflect list (newest 20 of {args.count}): median {med:.1f} ms, p90 {p90:.1f} ms (whole command)")
        med, p90 = timed(base + ["--json", "reflect", "list"], 30)
        print(f"hearth --json reflect list: median {med:.1f} ms, p90 {p90:.1f} ms")
        med, _ = timed(base + ["--json", "reflect", "list", "--limit", "0"], 5)
        print(f"hearth --json reflect list --limit 0 ({args.count} reflections): median {med:.0f} ms")
        med, _ = timed(base + ["id"], 30)
        print(f"hearth id (no daemon round trip, process start-up): median {med:.1f} ms")
        time.sleep(2.0)
        print(f"hearthd idle RSS with {args.count} reflections, after the lists: {rss_kib(daemon.pid) / 1024:.1f} MiB")
    finally:
        if daemon and daemon.poll() is None:
            daemon.terminate()
            daemon.wait()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
