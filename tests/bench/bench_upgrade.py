#!/usr/bin/env python3
"""What opening a store made by an older Hearth costs: its migrations.

    python3 tests/bench/bench_upgrade.py --old-bin-dir OLD [--bin-dir build/dev]
                                         [--sizes 100000,1000000] [--bytes 300]

OLD is a build of an older Hearth with its tests (for its hearth_bench_fill),
for example of a worktree of an earlier commit:

    git worktree add /tmp/old <commit> && cd /tmp/old &&
    cmake --preset dev -DBUILD_TESTING=ON && cmake --build build/dev

For each size, OLD makes a home paired with a partner that never connects
and fills it with that many shared reflections; then this build's hearthd
opens it, migrating the store, and prints:

  start to ready    from starting hearthd to its first answer to `hearth status`
  peak RSS          hearthd's high-water mark (VmHWM) once ready: the migration's
  store             bytes per entry before and after, and how many of the
                    file's pages the migration left free (used again as the
                    store grows)

and checks that `hearth reflect list` answers afterwards.
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

from bench_scale import Daemon, filled_home, fmt_kib, rss_kib, store_bytes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old-bin-dir", required=True)
    ap.add_argument("--bin-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "dev"))
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--bytes", type=int, default=300)
    args = ap.parse_args()
    old, new = args.old_bin_dir, args.bin_dir
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    for n in (int(s) for s in args.sizes.split(",") if s):
        root = tempfile.mkdtemp(prefix="hearth-bench-upgrade-")
        d = None
        try:
            home, _, _ = filled_home(old, root, n, args.bytes)
            before = store_bytes(home)
            con = sqlite3.connect(os.path.join(home, "hearth.db"))
            schema = con.execute("PRAGMA user_version").fetchone()[0]
            con.close()
            print(f"\n== {n:,} reflections of {args.bytes} B, made at schema {schema}:"
                  f" {before / 1e6:.1f} MB, {before / n:.0f} B per entry")

            d = Daemon(f"{new}/node/hearthd", f"{new}/client/hearth", home)
            print(f"start to ready (migrating): {d.ready_ms / 1000:.1f} s;"
                  f" hearthd peak RSS {fmt_kib(rss_kib(d.proc.pid, 'VmHWM'))}")
            r = subprocess.run(d.cli("reflect", "list"), capture_output=True, text=True)
            if r.returncode != 0 or not r.stdout.strip():
                raise SystemExit(f"hearth reflect list after the upgrade failed: {r.stderr}")
            d.stop()
            d = None
            after = store_bytes(home)
            con = sqlite3.connect(os.path.join(home, "hearth.db"))
            free, pages, schema = (con.execute(f"PRAGMA {p}").fetchone()[0]
                                   for p in ("freelist_count", "page_count", "user_version"))
            con.close()
            print(f"after, at schema {schema}: {after / 1e6:.1f} MB, of which {free / pages:.0%} free"
                  f" pages; {(after * (pages - free) / pages) / n:.0f} B per entry in use")
        finally:
            if d:
                d.stop()
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
