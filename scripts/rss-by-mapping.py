#!/usr/bin/env python3
"""Where a process's resident memory is: /proc/PID/smaps summed by mapped file.

    scripts/rss-by-mapping.py PID [N]

Prints the total, then the N (default 30) largest mappings: resident KiB, of which anonymous
(written pages: the heap, thread stacks, a binary's relocated data), and the file, with each
segment of the process's own executable on a line of its own. Used for docs/BENCHMARKS.md ("The
touch-screen till under 30 MB"), e.g. beside
`KACHING_BENCH_HOLD_S=20 cargo bench --bench gui -- rss`, which prints the till's PID and keeps
it alive.
"""
import collections
import os
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    pid = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    exe = os.readlink(f"/proc/{pid}/exe")
    rss = collections.Counter()
    anon = collections.Counter()
    name = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if not fields[0].endswith(":"):
                # A mapping's header: address perms offset dev inode [path].
                path = fields[5] if len(fields) > 5 else "[anonymous]"
                name = f"{path} ({fields[1]} at {fields[2]})" if path == exe else path
            elif fields[0] == "Rss:":
                rss[name] += int(fields[1])
            elif fields[0] == "Anonymous:":
                anon[name] += int(fields[1])
    print(f"pid {pid}: resident {sum(rss.values())} KiB, anonymous {sum(anon.values())} KiB")
    print(f"{'resident':>9} {'anon':>7}  mapping")
    for n, kib in rss.most_common(top):
        print(f"{kib:>9} {anon[n]:>7}  {n}")


if __name__ == "__main__":
    main()
