#!/usr/bin/python3
"""Runs a qtsim sweep on a Dask cluster and writes the same table as `qtsim sweep`, byte for byte.

  scripts/qtsim_sweep_dask.py SWEEP_FILE --out DIR --scheduler tcp://HOST:PORT [--qtsim PATH]
  scripts/qtsim_sweep_dask.py SWEEP_FILE --out DIR --local N          (a LocalCluster of N workers)

The driver splits the sweep's point indices into shards [a, b); each shard is one Dask task that runs
`qtsim sweep SWEEP_FILE --only a:b --rows-out FILE --jobs 1` on a worker and returns the rows file's
text. The qtsim program, the sweep file and every file it references must exist at the same paths
on every worker (a shared file system, or the same checkout and build on each machine): see README
"Sweeps on a Dask cluster". Tasks are pure, so Dask reruns the shards of a worker lost mid-sweep on
the others. The gathered rows are handed to `qtsim sweep SWEEP_FILE --out DIR --import-rows FILE`,
which writes points.csv, sweep.json and provenance.json exactly as a local sweep does (and runs any
point no shard returned). Progress: Dask's progress bar on a terminal, and its dashboard.

Exit status: 0 success, 1 an error (the message names the sweep, option or shard), 2 usage.
"""
import argparse
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMAND = "qtsim_sweep_dask.py"


class SweepError(Exception):
    pass


def run_shard(qtsim, sweep, first, end, cwd, memo=None):
    """On a worker: runs points [first, end) and returns the rows file's text."""
    with tempfile.TemporaryDirectory(prefix="qtsim_shard_") as folder:
        rows = os.path.join(folder, "rows.jsonl")
        command = [qtsim, "sweep", sweep, "--only", f"{first}:{end}", "--rows-out", rows, "--jobs", "1"]
        if memo:
            command += ["--memo", memo]
        done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise SweepError(f"shard {first}:{end}: `{' '.join(command)}` failed with exit status "
                             f"{done.returncode}: {done.stderr.strip()}")
        with open(rows, encoding="utf-8") as f:
            return f.read()


def count_points(qtsim, sweep):
    done = subprocess.run([qtsim, "sweep", sweep, "--count"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if done.returncode != 0:
        raise SweepError(done.stderr.strip() or f"{qtsim} sweep --count failed")
    return int(done.stdout.strip())


def shards(count, size):
    return [(a, min(a + size, count)) for a in range(0, count, size)]


def merge_rows(texts):
    """One rows file from the shards' (each: a header line, then rows); the headers must agree."""
    header, lines = None, []
    for text in texts:
        first, _, rest = text.partition("\n")
        if header is None:
            header = first
        elif first != header:
            raise SweepError("the shards' rows files name different sweeps (another qtsim build on some worker?): "
                             f"{header} against {first}")
        lines.append(rest)
    return (header or "") + "\n" + "".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("sweep_file")
    p.add_argument("--out", required=True, help="output folder (as qtsim sweep --out)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.1:8786")
    where.add_argument("--local", type=int, metavar="N", help="start a LocalCluster of N single-threaded workers")
    p.add_argument("--qtsim", default=os.path.join(REPO, "build", "release", "qtsim"),
                   help="the qtsim program, at this path on every worker (default: build/release/qtsim)")
    p.add_argument("--shard-size", type=int, default=0,
                   help="points per task (default: about 4 tasks per worker, at most 200 points each)")
    p.add_argument("--memo", help="memo folder for the workers (a shared file system), as qtsim sweep --memo")
    p.add_argument("--pareto", default="energy,time", help="objectives of the Pareto front (as qtsim sweep)")
    args = p.parse_args(argv)
    if args.local is not None and args.local < 1:
        p.error("--local: expected at least 1 worker")
    if args.shard_size < 0:
        p.error("--shard-size: expected a positive number of points (or 0 for the default)")
    return args


def gather(client, args, sweep, qtsim, count):
    from distributed import as_completed, progress

    workers = max(1, len(client.scheduler_info()["workers"]))
    size = args.shard_size or max(1, min(200, -(-count // (4 * workers))))
    memo = os.path.abspath(args.memo) if args.memo else None
    futures = [client.submit(run_shard, qtsim, sweep, a, b, os.getcwd(), memo, key=f"qtsim-shard-{a}-{b}", pure=False)
               for a, b in shards(count, size)]
    print(f"{COMMAND}: {count} points in {len(futures)} shards of up to {size} on {workers} workers; "
          f"dashboard: {client.dashboard_link}", file=sys.stderr)
    if sys.stderr.isatty():
        progress(futures)
    texts = {}
    for future in as_completed(futures):
        texts[future.key] = future.result()  # a shard's SweepError is raised here
    return [texts[f.key] for f in futures]


def main(argv=None):
    args = parse_args(argv)
    qtsim = os.path.abspath(args.qtsim)
    sweep = args.sweep_file  # as given: sweep.json records it; workers resolve it from the same folder
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print(f"{COMMAND}: error: Dask distributed is not installed (Debian: apt-get install python3-distributed)",
              file=sys.stderr)
        return 1
    try:
        if not (os.path.isfile(qtsim) and os.access(qtsim, os.X_OK)):
            raise SweepError(f"--qtsim {qtsim}: no qtsim program there; build it first or pass --qtsim PATH")
        count = count_points(qtsim, sweep)
        if args.local is not None:
            with LocalCluster(n_workers=args.local, threads_per_worker=1, processes=True,
                              dashboard_address=":0") as cluster, Client(cluster) as client:
                texts = gather(client, args, sweep, qtsim, count)
        else:
            with Client(args.scheduler, timeout="30s") as client:
                texts = gather(client, args, sweep, qtsim, count)
        with tempfile.TemporaryDirectory(prefix="qtsim_sweep_dask_") as folder:
            rows = os.path.join(folder, "rows.jsonl")
            with open(rows, "w", encoding="utf-8") as f:
                f.write(merge_rows(texts))
            command = [qtsim, "sweep", sweep, "--out", args.out, "--import-rows", rows, "--pareto", args.pareto]
            return subprocess.run(command).returncode
    except (SweepError, OSError) as error:
        print(f"{COMMAND}: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
