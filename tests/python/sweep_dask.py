#!/usr/bin/python3
"""scripts/qtsim_sweep_dask.py on a real Dask cluster on localhost: a scheduler and two workers
started here on free ports (torn down whatever happens), one sweep run whole and one with a worker
killed in the middle; both tables byte-identical to `qtsim sweep`'s.

Usage: sweep_dask.py QTSIM_BINARY   (ctest: sweep_dask)
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DRIVER = os.path.join(REPO, "scripts", "qtsim_sweep_dask.py")
PYTHON = "/usr/bin/python3"
QTSIM = None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sweep_document(epochs):
    return {"format": "qtsim-sweep", "version": 1, "base": {"run": {"num_epochs": epochs}},
            "space": [{"axis": "hardware.energy.dram_type", "values": ["lpddr4", "ddr4", "hbm2", "bogus"]},
                      {"axis": "policy.tiers.1.min_accuracy", "range": {"from": 0.5, "to": 0.9, "step": 0.1}}]}


def folder_bytes(folder):
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                out[os.path.relpath(os.path.join(root, name), folder)] = f.read()
    return out


class DaskCluster:
    """A scheduler and workers as separate processes, each in its own process group."""

    def __init__(self, folder):
        self.folder, self.processes, self.workers = folder, [], []
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"

    def _start(self, args, log):
        out = open(os.path.join(self.folder, log), "w", encoding="utf-8")
        proc = subprocess.Popen([PYTHON, "-m", *args], cwd=self.folder, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        out.close()
        self.processes.append(proc)
        return proc

    def start(self, workers):
        self._start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                     "--dashboard-address", f"127.0.0.1:{free_port()}"], "scheduler.log")
        for i in range(workers):
            self.workers.append(self._start(
                ["distributed.cli.dask_worker", self.address, "--host", "127.0.0.1", "--nworkers", "1",
                 "--nthreads", "1", "--no-dashboard", "--name", f"w{i}", "--death-timeout", "60"], f"worker{i}.log"))
        from distributed import Client
        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=60)

    def stop(self):
        for proc in self.processes:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def finished_tasks(self):
        from distributed import Client
        with Client(self.address, timeout="10s") as client:
            return client.run_on_scheduler(
                lambda dask_scheduler: sum(1 for t in dask_scheduler.tasks.values() if t.state == "memory"))


class SweepOnDask(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="qtsim_sweep_dask_")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.cluster = DaskCluster(self.dir)
        self.addCleanup(self.cluster.stop)  # also when start() or a check fails
        self.cluster.start(2)

    def write_sweep(self, name, epochs):
        with open(os.path.join(self.dir, name), "w", encoding="utf-8") as f:
            json.dump(sweep_document(epochs), f)

    def local_table(self, sweep, out):
        subprocess.run([QTSIM, "sweep", sweep, "--out", out, "--jobs", "2"], cwd=self.dir, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return folder_bytes(os.path.join(self.dir, out))

    def driver(self, sweep, out, *extra):
        return subprocess.Popen([PYTHON, DRIVER, sweep, "--out", out, "--scheduler", self.cluster.address,
                                 "--qtsim", QTSIM, *extra], cwd=self.dir, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    def test_the_same_table_as_qtsim_sweep_and_after_losing_a_worker(self):
        self.write_sweep("small.json", 3)
        done = self.driver("small.json", "dask")
        output = done.communicate(timeout=300)[0]
        self.assertEqual(done.returncode, 0, output)
        self.assertEqual(folder_bytes(os.path.join(self.dir, "dask")), self.local_table("small.json", "local"))

        # One point per task, 100 epochs a point: a worker is killed once three tasks are done.
        self.write_sweep("long.json", 100)
        run = self.driver("long.json", "dask_long", "--shard-size", "1")
        deadline = time.monotonic() + 240
        while run.poll() is None and time.monotonic() < deadline and self.cluster.finished_tasks() < 3:
            time.sleep(0.05)
        self.assertIsNone(run.poll(), "the sweep ended before a worker could be killed")
        os.killpg(self.cluster.workers[0].pid, signal.SIGKILL)
        output = run.communicate(timeout=600)[0]
        self.assertEqual(run.returncode, 0, output)
        self.assertEqual(folder_bytes(os.path.join(self.dir, "dask_long")), self.local_table("long.json", "local_long"))

    def test_an_unreachable_scheduler_is_a_clear_error(self):
        self.write_sweep("small.json", 1)
        done = subprocess.run([PYTHON, DRIVER, "small.json", "--out", "x", "--scheduler",
                               f"tcp://127.0.0.1:{free_port()}", "--qtsim", QTSIM], cwd=self.dir,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("qtsim_sweep_dask.py: error:", done.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x")))


if __name__ == "__main__":
    QTSIM = os.path.abspath(sys.argv.pop(1))
    unittest.main()
