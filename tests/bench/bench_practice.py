#!/usr/bin/env python3
"""How closely two partners' breathing pacers keep in step over a whole
session, with two real hearthd processes on loopback (docs/DESIGN.md §5.7).

    python3 tests/bench/bench_practice.py [--bin-dir build/dev] [--minutes 5] [--pattern 5-5]

Sam invites to `breathe` together, Alex joins; both run `hearth --json
practice` and print each phase change with the instant it was planned for
and the instant it was shown. Prints the difference between the partners'
planned instants, the difference between the instants each phase was shown
on the two devices (median, p95, worst, first and last minute, so drift is
visible), and how late each device showed a phase against its plan.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from harness import free_port  # noqa: E402

NO_LAN = ("--discovery-port", "0", "--beacon-to", "127.0.0.1:9")


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "dev"))
    ap.add_argument("--minutes", type=int, default=5)
    ap.add_argument("--pattern", default="5-5")
    args = ap.parse_args()
    hearth = os.path.join(args.bin_dir, "client", "hearth")
    hearthd = os.path.join(args.bin_dir, "node", "hearthd")
    root = tempfile.mkdtemp(prefix="hearth-bench-practice-")
    procs = []

    def cli(home, *a):
        r = subprocess.run([hearth, "--home", home, "--json", *a], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"hearth {' '.join(a)} failed: {r.stdout} {r.stderr}")
        return json.loads(r.stdout)

    def daemon(home, port):
        p = subprocess.Popen([hearthd, "--home", home, "--log-level", "error", *NO_LAN,
                              "--listen", f"127.0.0.1:{port}"])
        procs.append(p)
        for _ in range(200):
            if subprocess.run([hearth, "--home", home, "status"], capture_output=True).returncode == 0:
                return p
            time.sleep(0.02)
        raise SystemExit("hearthd did not start")

    def wait_for(what, pred, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if pred():
                return
            time.sleep(0.05)
        raise SystemExit(f"timed out waiting for {what}")

    def pacer(home, *a):
        p = subprocess.Popen([hearth, "--home", home, "--json", "practice", *a],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(p)
        lines = []

        def read():
            for line in p.stdout:
                if line.strip():
                    lines.append(json.loads(line))
        t = threading.Thread(target=read, daemon=True)
        t.start()
        return p, t, lines

    try:
        sam, alex = os.path.join(root, "sam"), os.path.join(root, "alex")
        ports = {}
        for h in (sam, alex):
            subprocess.run([hearth, "--home", h, "init", "--no-passphrase"], check=True,
                           stdout=subprocess.DEVNULL)
            ports[h] = free_port()
        ids = {h: cli(h, "id")["device_id"] for h in (sam, alex)}
        for h in (sam, alex):
            daemon(h, ports[h])
        cli(sam, "pair", "add", ids[alex], "--address", f"127.0.0.1:{ports[alex]}")
        cli(alex, "pair", "add", ids[sam], "--address", f"127.0.0.1:{ports[sam]}")
        wait_for("the partners to connect",
                 lambda: cli(alex, "status")["partner"].get("connection") == "connected")

        sp, st, s_lines = pacer(sam, "start", "breathe", "--together", "--minutes",
                                str(args.minutes), "--pattern", args.pattern)
        wait_for("the invitation on Alex's device", lambda: cli(alex, "today")["today"]["practice"])
        ap_, at, a_lines = pacer(alex, "join")
        print(f"breathing together for {args.minutes} min, pattern {args.pattern} s; waiting…",
              flush=True)
        for p in (sp, ap_):
            p.wait(timeout=args.minutes * 60 + 60)
        st.join(5)
        at.join(5)

        s_phases = {d["planned"]: d for d in s_lines if "phase" in d}
        a_phases = {d["planned"]: d for d in a_lines if "phase" in d}
        common = sorted(set(s_phases) & set(a_phases))
        if not common:
            raise SystemExit("no phase was shown on both devices (planned instants differ?)")
        first_s = min(s_phases)
        first_a = min(a_phases)
        deltas = [abs(s_phases[k]["at"] - a_phases[k]["at"]) for k in common]
        late = {"Sam": [d["at"] - d["planned"] for d in s_phases.values()],
                "Alex": [d["at"] - d["planned"] for d in a_phases.values()]}
        minute = 60_000
        early = [abs(s_phases[k]["at"] - a_phases[k]["at"]) for k in common if k - common[0] < minute]
        lasts = [abs(s_phases[k]["at"] - a_phases[k]["at"]) for k in common
                 if common[-1] - k < minute]
        print(f"phases shown: Sam {len(s_phases)}, Alex {len(a_phases)}, on both {len(common)}")
        print(f"planned start: Sam and Alex differ by {abs(first_s - first_a)} ms")
        print(f"phase shown, Sam vs Alex: median {statistics.median(deltas):.0f} ms, "
              f"p95 {percentile(deltas, 95):.0f} ms, worst {max(deltas)} ms")
        print(f"  first minute worst {max(early)} ms, last minute worst {max(lasts)} ms")
        for who, v in late.items():
            print(f"{who} shown after plan: median {statistics.median(v):.0f} ms, "
                  f"p95 {percentile(v, 95):.0f} ms, worst {max(v)} ms")
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                p.wait()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
