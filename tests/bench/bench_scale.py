#!/usr/bin/env python3
"""How one daemon's costs grow with the number of entries it holds.

    python3 tests/bench/bench_scale.py [--bin-dir build/dev] [--sizes 10000,100000,1000000]
                                       [--bytes 300] [--formats markdown]

For each size, a fresh home paired (by device ID) with a partner that never
connects is filled with that many shared reflections of BYTES bytes by
hearth_bench_fill, then hearthd is started and measured through real `hearth`
processes:

  start to ready    from starting hearthd to its first answer to `hearth status`
  idle RSS          hearthd's resident memory 2 s after that
  reflect list      `hearth reflect list` (the newest 20), median of 20 runs
  status            `hearth status`, median of 20 runs
  export            `hearth export --out FILE`: wall time, peak RSS of hearthd
                    (sampled every 20 ms) and of hearth (its rusage), and the
                    latency of `hearth status` run over and over meanwhile
  SIGTERM           from SIGTERM, sent 1 s into a second export, to hearthd's exit
  counts in SQL     what status reads to count the entries: counting the views'
                    rows (before schema 10) against the kept counts (view_counts)
  bytes per entry   the store's files (database and WAL, after hearthd stopped)
                    over the number of entries

and, once, a command's fixed cost (`hearth --version` against /bin/true).
The 1,000,000 size takes long (filling alone is minutes); run it once.
"""
import argparse
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

# As in harness.py: nothing broadcast on the LAN and no beacons heard.
NO_LAN = ("--discovery-port", "0", "--beacon-to", "127.0.0.1:9")


def rss_kib(pid, field="VmRSS"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def median_ms(cmd, runs):
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


class Daemon:
    def __init__(self, hearthd, hearth, home):
        self.hearth = hearth
        self.home = home
        t = time.perf_counter()
        self.proc = subprocess.Popen([hearthd, "--home", home, "--log-level", "warn", *NO_LAN],
                                     stderr=subprocess.DEVNULL)
        while True:
            r = subprocess.run(self.cli("status"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r.returncode == 0:
                break
            if self.proc.poll() is not None:
                raise RuntimeError("hearthd exited")
            time.sleep(0.005)
        self.ready_ms = (time.perf_counter() - t) * 1000

    def cli(self, *args):
        return [self.hearth, "--home", self.home, *args]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()


def run_export(d, path, fmt):
    """Runs one export; returns (seconds, exit code, hearthd peak KiB, hearth peak KiB,
    status latencies in ms)."""
    if os.path.exists(path):
        os.unlink(path)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(d.proc.pid))
            time.sleep(0.02)

    latencies = []

    def probe():
        time.sleep(0.2)
        while not done.is_set():
            t = time.perf_counter()
            subprocess.run(d.cli("status"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if not done.is_set():
                latencies.append((time.perf_counter() - t) * 1000)
            time.sleep(0.05)

    threads = [threading.Thread(target=sample), threading.Thread(target=probe)]
    for th in threads:
        th.start()
    t = time.perf_counter()
    p = subprocess.Popen(d.cli("export", "--format", fmt, "--out", path),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - t
    err = p.stderr.read().decode(errors="replace").strip().splitlines()
    p.stderr.close()
    done.set()
    for th in threads:
        th.join()
    code = os.waitstatus_to_exitcode(status)
    return seconds, code, peak[0], usage.ru_maxrss, latencies, (err[-1] if err and code else "")


def sigterm_during_export(d, path):
    p = subprocess.Popen(d.cli("export", "--format", "markdown", "--out", path, "--force"),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    t = time.perf_counter()
    d.proc.send_signal(signal.SIGTERM)
    d.proc.wait()
    ms = (time.perf_counter() - t) * 1000
    p.wait()
    return ms


def store_bytes(home):
    """The store's size once its WAL is copied back (hearthd stopped)."""
    db = os.path.join(home, "hearth.db")
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return sum(os.path.getsize(os.path.join(home, f)) for f in os.listdir(home)
               if f.startswith("hearth.db"))


def counts_sql_ms(home):
    """Median ms of counting the entries row by row, and of reading the kept counts."""
    con = sqlite3.connect(os.path.join(home, "hearth.db"))
    def median(sql):
        samples = []
        for _ in range(7):
            t = time.perf_counter()
            con.execute(sql).fetchall()
            samples.append((time.perf_counter() - t) * 1000)
        return statistics.median(samples)
    counted = median("SELECT (SELECT count(*) FROM reflections WHERE forgotten = 0),"
                     " (SELECT count(*) FROM boundaries),"
                     " (SELECT count(*) FROM check_ins WHERE forgotten = 0)")
    has_kept = con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'view_counts'").fetchone()[0]
    kept = median("SELECT n FROM view_counts ORDER BY kind") if has_kept else None
    con.close()
    return counted, kept


def fmt_kib(k):
    return f"{k / 1024:.0f} MiB" if k >= 10 * 1024 else f"{k / 1024:.1f} MiB"


def filled_home(bin_dir, root, count, nbytes):
    """A home in ROOT paired (by device ID) with a partner that never connects,
    filled with COUNT shared reflections of NBYTES bytes by BIN_DIR's
    hearth_bench_fill. Returns the home, its store's bytes before the fill
    and the seconds the fill took."""
    hearth = os.path.join(bin_dir, "client", "hearth")
    home = os.path.join(root, "sam")
    partner = os.path.join(root, "alex")
    for h in (home, partner):
        subprocess.run([hearth, "--home", h, "init", "--no-passphrase"], check=True,
                       stdout=subprocess.DEVNULL)
    partner_id = subprocess.run([hearth, "--home", partner, "id"], check=True,
                                capture_output=True, text=True).stdout.split()[0]
    d = Daemon(os.path.join(bin_dir, "node", "hearthd"), hearth, home)
    try:
        subprocess.run(d.cli("pair", "add", partner_id), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    finally:
        d.stop()
    empty = store_bytes(home)
    t = time.perf_counter()
    subprocess.run([os.path.join(bin_dir, "tests", "bench", "hearth_bench_fill"), "--home", home,
                    "--count", str(count), "--bytes", str(nbytes)], check=True,
                   stdout=subprocess.DEVNULL)
    return home, empty, time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "dev"))
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--bytes", type=int, default=300)
    ap.add_argument("--formats", default="markdown",
                    help="export formats to time, comma-separated (markdown, json, html)")
    args = ap.parse_args()
    hearth = os.path.join(args.bin_dir, "client", "hearth")
    hearthd = os.path.join(args.bin_dir, "node", "hearthd")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    formats = [f for f in args.formats.split(",") if f]

    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    version = median_ms([hearth, "--version"], 50)
    true = median_ms(["/bin/true"], 50)
    print(f"hearth --version: median {version:.1f} ms (/bin/true: {true:.1f} ms)")

    for n in sizes:
        root = tempfile.mkdtemp(prefix="hearth-bench-scale-")
        d = None
        try:
            home, empty, fill_s = filled_home(args.bin_dir, root, n, args.bytes)
            print(f"\n== {n:,} reflections of {args.bytes} B (filled in {fill_s:.0f} s;"
                  f" load average {os.getloadavg()[0]:.2f})")

            d = Daemon(hearthd, hearth, home)
            print(f"start to ready: {d.ready_ms:.0f} ms")
            time.sleep(2.0)
            print(f"hearthd idle RSS: {fmt_kib(rss_kib(d.proc.pid))}")
            print(f"hearth reflect list: median {median_ms(d.cli('reflect', 'list'), 20):.1f} ms")
            print(f"hearth status: median {median_ms(d.cli('status'), 20):.1f} ms")
            for fmt in formats:
                out = os.path.join(root, "export." + fmt)
                s, code, dpeak, cpeak, lat, err = run_export(d, out, fmt)
                size = os.path.getsize(out) if os.path.exists(out) else 0
                what = f"{size / 1e6:.0f} MB" if code == 0 else f"FAILED (exit {code}: {err})"
                print(f"export {fmt}: {s:.1f} s, {what}; peak RSS hearthd {fmt_kib(dpeak)},"
                      f" hearth {fmt_kib(cpeak)}")
                if lat:
                    print(f"  hearth status during the export: {len(lat)} runs, median"
                          f" {statistics.median(lat):.0f} ms, max {max(lat):.0f} ms")
                else:
                    print("  hearth status during the export: no run finished before it ended")
                if os.path.exists(out):
                    os.unlink(out)
            print(f"hearthd idle RSS after the exports: {fmt_kib(rss_kib(d.proc.pid))}")
            ms = sigterm_during_export(d, os.path.join(root, "export.term"))
            print(f"SIGTERM 1 s into an export: hearthd exited after {ms:.0f} ms")
            d = None
            total = store_bytes(home)
            print(f"store: {total / 1e6:.1f} MB, {(total - empty) / n:.0f} B per entry"
                  f" (empty store {empty / 1e3:.0f} kB)")
            counted, kept = counts_sql_ms(home)
            print(f"counts in SQL: counting the rows {counted:.2f} ms"
                  + (f", the kept counts {kept:.3f} ms" if kept is not None else ""))
        finally:
            if d:
                d.stop()
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
