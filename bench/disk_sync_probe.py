#!/usr/bin/env python3
"""What a commit's fdatasync costs on this disk when it lengthens a file, against when it
overwrites blocks the file already has (the journal's WAL after store/sqlite/wal_headroom.h).

Writes --commits records of --record-bytes, each followed by fdatasync, once appending to a new
file and once over a file already written with zeros; alternates the two --rounds times. A probe of
the machine, not of mpay: it explains a figure in docs/performance.md and is not part of `make bench`.

    python3 bench/disk_sync_probe.py [--dir /tmp] [--commits 400] [--record-bytes 20480]
"""
import argparse
import os
import statistics
import tempfile
import time


def mean_sync_ms(directory, commits, record_bytes, written_first):
    fd, path = tempfile.mkstemp(prefix="mpay-sync-probe-", dir=directory)
    try:
        if written_first:
            zeros = b"\0" * (1 << 20)
            for _ in range(commits * record_bytes // len(zeros) + 1):
                os.write(fd, zeros)
            os.fdatasync(fd)
        record = b"x" * record_bytes
        start = time.perf_counter()
        for i in range(commits):
            os.pwrite(fd, record, i * record_bytes)
            os.fdatasync(fd)
        return (time.perf_counter() - start) / commits * 1e3
    finally:
        os.close(fd)
        os.unlink(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="/tmp")
    parser.add_argument("--commits", type=int, default=400)
    parser.add_argument("--record-bytes", type=int, default=20 * 1024)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    appending, overwriting = [], []
    print(f"{args.commits} commits of {args.record_bytes} bytes each, fdatasync after each, in {args.dir}")
    for round_number in range(1, args.rounds + 1):
        appending.append(mean_sync_ms(args.dir, args.commits, args.record_bytes, False))
        overwriting.append(mean_sync_ms(args.dir, args.commits, args.record_bytes, True))
        print(f"  round {round_number}: lengthening {appending[-1]:.3f} ms per commit, "
              f"overwriting {overwriting[-1]:.3f} ms")
    append_ms = statistics.median(appending)
    overwrite_ms = statistics.median(overwriting)
    print(f"RESULT disk_sync append_ms={append_ms:.3f} overwrite_ms={overwrite_ms:.3f} "
          f"ratio={append_ms / overwrite_ms:.2f}")


if __name__ == "__main__":
    main()
