#!/usr/bin/env python3
"""Catch-up rate between two real hearthd processes on loopback.

    python3 tests/bench/bench_sync.py [--bin-dir build/dev] [--events 100000] [--bytes 1000]

Sam's device holds EVENTS shared reflections written while Alex's daemon was
away; the figure is the time from Sam's daemon starting (Alex's listening) to
Alex's store holding all of them, as `hearth sync --wait` on Alex's side reports it. Live latency is
measured in process by hearth_bench_live.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from harness import free_port  # noqa: E402

# As in harness.py: nothing broadcast on the LAN and no beacons heard.
NO_LAN = ("--discovery-port", "0", "--beacon-to", "127.0.0.1:9")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "dev"))
    ap.add_argument("--events", type=int, default=100000)
    ap.add_argument("--bytes", type=int, default=1000)
    args = ap.parse_args()
    hearth = os.path.join(args.bin_dir, "client", "hearth")
    hearthd = os.path.join(args.bin_dir, "node", "hearthd")
    fill = os.path.join(args.bin_dir, "tests", "bench", "hearth_bench_fill")
    root = tempfile.mkdtemp(prefix="hearth-bench-sync-")
    procs = []

    def cli(home, *a):
        r = subprocess.run([hearth, "--home", home, "--json", *a], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"hearth {' '.join(a)} failed: {r.stdout} {r.stderr}")
        return json.loads(r.stdout)

    def daemon(home, *extra):
        p = subprocess.Popen([hearthd, "--home", home, "--log-level", "warn", *NO_LAN, *extra])
        procs.append(p)
        for _ in range(200):
            if subprocess.run([hearth, "--home", home, "status"], capture_output=True).returncode == 0:
                return p
            time.sleep(0.02)
        raise SystemExit("hearthd did not start")

    try:
        sam, alex = os.path.join(root, "sam"), os.path.join(root, "alex")
        for h in (sam, alex):
            subprocess.run([hearth, "--home", h, "init", "--no-passphrase"], check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        sam_id = cli(sam, "id")["device_id"]
        alex_id = cli(alex, "id")["device_id"]
        # Pair while both run, then stop both.
        ps = daemon(sam)
        pa = daemon(alex, "--listen", f"127.0.0.1:{port}")
        cli(sam, "pair", "add", alex_id, "--address", f"127.0.0.1:{port}", "--send-earlier")
        cli(alex, "pair", "add", sam_id)
        for p in (ps, pa):
            p.terminate()
            p.wait()
        t = time.perf_counter()
        subprocess.run([fill, "--home", sam, "--count", str(args.events), "--bytes", str(args.bytes)],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"set-up: {args.events} events of ~{args.bytes} bytes written on Sam's device in "
              f"{time.perf_counter() - t:.1f} s")

        daemon(alex, "--listen", f"127.0.0.1:{port}")
        if os.environ.get("HEARTH_BENCH_PAUSE"):  # time to attach a profiler
            print("starting Sam's daemon in 3 s", flush=True)
            time.sleep(3)
        t0 = time.perf_counter()
        daemon(sam)
        # The first events' arrival marks the end of start-up (daemon start,
        # store open, handshake, Hello); `sync --wait` then polls the daemon
        # from one process every 100 ms until caught up.
        while cli(alex, "sync")["sync"]["partner_events_known"] == 0:
            time.sleep(0.005)
        t_first = time.perf_counter()
        subprocess.run([hearth, "--home", alex, "sync", "--wait"], check=True,
                       stdout=subprocess.DEVNULL, timeout=600)
        dt = time.perf_counter() - t0
        startup = t_first - t0
        known = cli(alex, "sync")["sync"]["partner_events_known"]
        if known < args.events:
            raise SystemExit(f"sync --wait returned with {known} of {args.events}")
        print(f"catch-up: {args.events} events in {dt:.2f} s = {args.events / dt:,.0f} events/s "
              f"(from Sam's daemon start, handshake included)")
        print(f"          start-up to the first batch stored: {startup * 1000:.0f} ms; after it, "
              f"{args.events / (dt - startup):,.0f} events/s")
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                p.wait()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
