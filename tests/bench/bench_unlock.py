#!/usr/bin/env python3
"""How long the daemon takes to answer `status` while wrong passphrases are
being tried: it must keep answering while Argon2id runs.

    python3 tests/bench/bench_unlock.py [--bin-dir build/dev] [--wrong 4]

A sealed daemon is started; a `status` request is sent on the control socket
in a loop (one at a time, straight from this script, so no process start is
counted) while WRONG `hearth unlock` processes with a wrong passphrase run at
once. Prints the median, p99 and worst answer time with nothing else
running, then during the wrong unlocks, and how long the unlocks took.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import socket
import struct
import threading
import time

NO_LAN = ("--discovery-port", "0", "--beacon-to", "127.0.0.1:9")


# control.capnp Request{status}: a one-segment message of 3 words (the root
# pointer to a struct of 1 data word and 1 pointer, all zero: union member 0).
STATUS_MESSAGE = struct.pack("<II", 0, 3) + struct.pack("<Q", 0x0001000100000000) + bytes(16)
STATUS_FRAME = struct.pack(">I", len(STATUS_MESSAGE)) + STATUS_MESSAGE


def status_once(sock_path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(sock_path)
        s.sendall(STATUS_FRAME)
        got = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    if len(got) < 4:
        raise RuntimeError("no answer to status")


def status_times(hearth, home, stop, out):
    sock_path = os.path.join(home, "control.sock")
    while not stop.is_set():
        t = time.perf_counter()
        status_once(sock_path)
        out.append((time.perf_counter() - t) * 1000)
        time.sleep(0.002)


def summary(samples):
    samples = sorted(samples)
    p99 = samples[max(0, int(len(samples) * 0.99) - 1)]
    return (f"median {statistics.median(samples):.1f} ms, p99 {p99:.1f} ms, "
            f"worst {samples[-1]:.1f} ms ({len(samples)} runs)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "dev"))
    ap.add_argument("--wrong", type=int, default=4)
    args = ap.parse_args()
    hearth = os.path.join(args.bin_dir, "client", "hearth")
    hearthd = os.path.join(args.bin_dir, "node", "hearthd")
    root = tempfile.mkdtemp(prefix="hearth-bench-")
    home = os.path.join(root, "home")
    right = os.path.join(root, "right")
    wrong = os.path.join(root, "wrong")
    with open(right, "w") as f:
        f.write("the right passphrase\n")
    with open(wrong, "w") as f:
        f.write("a wrong passphrase\n")
    daemon = None
    try:
        subprocess.run([hearth, "--home", home, "init", "--passphrase-file", right], check=True,
                       stdout=subprocess.DEVNULL)
        daemon = subprocess.Popen([hearthd, "--home", home, "--log-level", "warn", *NO_LAN])
        deadline = time.time() + 10
        while not os.path.exists(os.path.join(home, "control.sock")) and time.time() < deadline:
            time.sleep(0.05)

        quiet = []
        stop = threading.Event()
        poller = threading.Thread(target=status_times, args=(hearth, home, stop, quiet))
        poller.start()
        time.sleep(1.0)
        stop.set()
        poller.join()
        print(f"status, nothing else running: {summary(quiet)}")

        busy = []
        stop = threading.Event()
        poller = threading.Thread(target=status_times, args=(hearth, home, stop, busy))
        poller.start()
        time.sleep(0.2)
        t = time.perf_counter()
        unlocks = [subprocess.Popen([hearth, "--home", home, "unlock", "--passphrase-file", wrong],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for _ in range(args.wrong)]
        codes = [p.wait() for p in unlocks]
        took = time.perf_counter() - t
        time.sleep(0.2)
        stop.set()
        poller.join()
        print(f"status during {args.wrong} wrong unlocks at once: {summary(busy)}")
        print(f"the {args.wrong} wrong unlocks took {took:.2f} s in all (exit codes {codes})")
    finally:
        if daemon:
            daemon.terminate()
            daemon.wait()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
