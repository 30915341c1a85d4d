"""Output folders that never lose a user's data (scripts/qtsim_plots/atomic.py) and the trainer's
--out file rule (scripts/qtsim_trainer/trace.py): marker text, what is replaced and what is refused,
failures, stale staging folders, kills at random moments, concurrent writers."""
import contextlib
import fcntl
import io
import json
import os
import random
import signal
import subprocess
import tempfile
import textwrap
import time
import unittest

import _paths  # noqa: F401  (puts scripts/ on sys.path)
from _paths import SCRIPTS
from qtsim_plots import atomic
from qtsim_plots.atomic import MARKER, OutputFolder, OutputTargetError, read_marker
from qtsim_trainer.cli import main as train_main
from qtsim_trainer.trace import TraceError, check_trace_target, write_trace

PY = "/usr/bin/python3"
ENV = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")

# A child process: replaces TARGET with generation after generation (every file holds the generation
# number; generation g has 3 + g % 5 files over two subfolders) until it is killed or has written COUNT.
WRITER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {scripts!r})
    from qtsim_plots.atomic import OutputFolder
    target, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print("ready", flush=True)
    for gen in range(first, first + count):
        with OutputFolder(target, "test_output_folder.py") as staging:
            for i in range(3 + gen % 5):
                os.makedirs(os.path.join(staging, f"d{{i % 2}}"), exist_ok=True)
                with open(os.path.join(staging, f"d{{i % 2}}", f"f{{i}}.txt"), "w") as f:
                    f.write(str(gen))
""").format(scripts=SCRIPTS)


def write(target, files, writer="test_output_folder.py"):
    """Writes {relative path: text} as the output folder `target`."""
    with OutputFolder(target, writer) as staging:
        for rel, text in files.items():
            path = os.path.join(staging, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)


def snapshot(folder):
    """{relative path: bytes, link target or None for a folder} of everything under `folder`."""
    seen = {}
    for top, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = os.path.join(top, name)
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                seen[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                seen[rel] = None
            else:
                with open(path, "rb") as f:
                    seen[rel] = f.read()
    return seen


def files_under(folder):
    """Relative paths of the regular files under `folder`, the top marker left out."""
    return {rel for rel, v in snapshot(folder).items() if isinstance(v, bytes) and rel != MARKER}


class Case(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="qtsim_output_folder_test_")
        self.addCleanup(subprocess.run, ["rm", "-rf", self.tmp])
        self.out = os.path.join(self.tmp, "out")

    def assert_refused(self, target, *fragments):
        """target is refused with a message holding fragments; nothing under self.tmp changes."""
        before = snapshot(self.tmp)
        with self.assertRaises(OutputTargetError) as caught:
            write(target, {"new.txt": "new"})
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))
        self.assertEqual(snapshot(self.tmp), before)


class Writing(Case):
    def test_creates_missing_parents_and_the_exact_marker(self):
        out = os.path.join(self.tmp, "a", "b", "paper")
        write(out, {"table.csv": "t", "figures/a.png": "p", "README.md": "r"}, "scripts/make_paper_results.py")
        self.assertEqual(files_under(out), {"table.csv", "figures/a.png", "README.md"})
        with open(os.path.join(out, MARKER), "rb") as f:
            self.assertEqual(f.read(), b'{\n  "files": [\n    "README.md",\n    "figures/a.png",\n    "table.csv"\n'
                                       b'  ],\n  "format": "qtsim-output",\n  "version": 1,\n'
                                       b'  "writer": "scripts/make_paper_results.py"\n}\n')
        self.assertEqual(os.listdir(os.path.dirname(out)), ["paper"])  # no staging folder left

    def test_identical_inputs_give_identical_folders(self):
        write(self.out, {"x/y.txt": "1", "z.txt": "2"})
        first = snapshot(self.out)
        write(self.out, {"z.txt": "2", "x/y.txt": "1"})
        self.assertEqual(snapshot(self.out), first)

    def test_replaces_a_marked_folder_as_a_whole(self):
        write(self.out, {"a.txt": "1", "sub/b.txt": "1"})
        write(self.out, {"c.txt": "2"})
        self.assertEqual(sorted(os.listdir(self.out)), [MARKER, "c.txt"])
        self.assertEqual(read_marker(self.out), {"c.txt"})
        self.assertEqual(os.listdir(self.tmp), ["out"])

    def test_without_renameat2(self):
        def unsupported(source, target, flags):
            raise atomic._NoRenameat2()
        original = atomic._renameat2
        atomic._renameat2 = unsupported
        self.addCleanup(setattr, atomic, "_renameat2", original)
        write(self.out, {"a.txt": "1"})
        write(self.out, {"b.txt": "2"})
        self.assertEqual(sorted(os.listdir(self.out)), [MARKER, "b.txt"])
        self.assertEqual(os.listdir(self.tmp), ["out"])

    def test_accepts_an_empty_folder(self):
        os.mkdir(self.out)
        write(self.out, {"a.txt": "1"})
        self.assertEqual(files_under(self.out), {"a.txt"})

    def test_nested_qtsim_folder(self):
        write(self.out, {"summary.json": "{}"}, "qtsim run")
        write(os.path.join(self.out, "figures"), {"f.png": "p"}, "scripts/plot_run.py")
        self.assertEqual(read_marker(self.out), {"summary.json"})
        write(os.path.join(self.out, "figures"), {"g.png": "p"}, "scripts/plot_run.py")  # replaced in place
        self.assertEqual(sorted(os.listdir(os.path.join(self.out, "figures"))), [MARKER, "g.png"])
        with open(os.path.join(self.out, "figures", "notes.txt"), "w") as f:
            f.write("mine")
        self.assert_refused(self.out, "figures/notes.txt")  # nested folders are checked too
        os.remove(os.path.join(self.out, "figures", "notes.txt"))
        write(self.out, {"summary.json": "{}"}, "qtsim run")  # the nested folder goes with the old one
        self.assertEqual(sorted(os.listdir(self.out)), [MARKER, "summary.json"])

    def test_failure_inside_leaves_the_old_folder(self):
        write(self.out, {"a.txt": "old"})
        before = snapshot(self.tmp)
        with self.assertRaisesRegex(RuntimeError, "drawing failed"):
            with OutputFolder(self.out, "test") as staging:
                with open(os.path.join(staging, "a.txt"), "w") as f:
                    f.write("new")
                raise RuntimeError("drawing failed")
        self.assertEqual(snapshot(self.tmp), before)  # no staging folder either


class Refusing(Case):
    def test_unmarked_folder_is_left_byte_for_byte(self):
        os.makedirs(os.path.join(self.out, "sub"))
        for rel in ("notes.txt", "sub/data.bin"):
            with open(os.path.join(self.out, rel), "wb") as f:
                f.write(os.urandom(100))
        self.assert_refused(self.out, self.out, "not replaced", "notes.txt", "no qtsim tool wrote",
                            "choose another folder")

    def test_foreign_file_in_a_marked_folder(self):
        write(self.out, {"a.txt": "1", "sub/b.txt": "1"})
        with open(os.path.join(self.out, "sub", "extra.txt"), "w") as f:
            f.write("mine")
        self.assert_refused(self.out, "sub/extra.txt", "no qtsim tool wrote")

    def test_symbolic_link_in_a_marked_folder(self):
        write(self.out, {"a.txt": "1"})
        kept = os.path.join(self.tmp, "kept.txt")
        with open(kept, "w") as f:
            f.write("mine")
        os.symlink(kept, os.path.join(self.out, "link"))
        self.assert_refused(self.out, "link", "symbolic link")
        os.remove(os.path.join(self.out, "a.txt"))
        os.symlink(kept, os.path.join(self.out, "a.txt"))  # a listed name that is now a link
        self.assert_refused(self.out, "a.txt", "symbolic link")

    def test_invalid_marker(self):
        os.mkdir(self.out)
        with open(os.path.join(self.out, MARKER), "w") as f:
            json.dump({"format": "qtsim-output", "version": 2, "files": []}, f)
        self.assert_refused(self.out, "not a valid qtsim marker")

    def test_current_folder_and_above(self):
        inner = os.path.join(self.out, "deep")
        os.makedirs(inner)
        cwd = os.getcwd()
        os.chdir(inner)
        self.addCleanup(os.chdir, cwd)
        self.assert_refused(".", "current folder")
        self.assert_refused("..", "current folder")
        self.assert_refused(self.out, "current folder")

    def test_file_and_symbolic_link(self):
        path = os.path.join(self.tmp, "file")
        with open(path, "w") as f:
            f.write("mine")
        self.assert_refused(path, "not a folder")
        write(self.out, {"a.txt": "1"})
        link = os.path.join(self.tmp, "link")
        os.symlink(self.out, link)
        self.assert_refused(link, "symbolic link")


class StaleFolders(Case):
    def test_dead_writers_folders_go_and_live_ones_stay(self):
        dead = os.path.join(self.tmp, ".out.qtsim-staging-99999-0123456789abcdef")
        live = os.path.join(self.tmp, ".out.qtsim-staging-1-fedcba9876543210")
        old = os.path.join(self.tmp, ".out.qtsim-old-99999-00000000000000ff")
        others = [os.path.join(self.tmp, n) for n in (".outx.qtsim-staging-1-aaaa", ".out.notes", "keep")]
        for folder in [dead, live, old] + others:
            os.makedirs(os.path.join(folder, "sub"))
            with open(os.path.join(folder, "sub", "f.txt"), "w") as f:
                f.write("x")
        with open(os.path.join(old, "mine.txt"), "w") as f:  # a marked old folder with a foreign file
            f.write("mine")
        with open(os.path.join(old, MARKER), "w") as f:
            f.write(json.dumps({"files": ["sub/f.txt"], "format": "qtsim-output", "version": 1, "writer": "t"}))
        fd = os.open(live, os.O_RDONLY)
        self.addCleanup(os.close, fd)
        fcntl.flock(fd, fcntl.LOCK_EX)
        with contextlib.redirect_stderr(io.StringIO()) as err:
            write(self.out, {"a.txt": "1"})
        self.assertFalse(os.path.exists(dead))
        self.assertEqual(files_under(live), {"sub/f.txt"})
        self.assertEqual(sorted(os.listdir(old)), [MARKER, "mine.txt"])  # only what the marker lists went
        self.assertIn("mine.txt", err.getvalue())
        for folder in others:
            self.assertEqual(files_under(folder), {"sub/f.txt"})


class Processes(Case):
    def writer(self, target, first, count, **kwargs):
        return subprocess.Popen([PY, "-c", WRITER, target, str(first), str(count)], env=ENV, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)

    def assert_complete(self, target):
        """target holds one whole generation: its marker lists exactly its files, all of one number."""
        listed = read_marker(target)
        self.assertIsNotNone(listed, f"{target}: no valid marker")
        self.assertEqual(files_under(target), listed)
        texts = {v for rel, v in snapshot(target).items() if isinstance(v, bytes) and rel != MARKER}
        self.assertEqual(len(texts), 1, texts)
        self.assertEqual(len(listed), 3 + int(texts.pop()) % 5)

    def test_kills_at_random_moments_leave_a_complete_folder(self):
        write(self.out, {f"d{i % 2}/f{i}.txt": "0" for i in range(3)})
        rng = random.Random(2024)
        for kill in range(30):
            child = self.writer(self.out, 1000 * (kill + 1), 1000)
            if child.stdout.readline().strip() != "ready":
                self.fail(f"the writer did not start: {child.communicate()[1]}")
            time.sleep(rng.uniform(0.0, 0.05))
            child.send_signal(signal.SIGKILL)
            child.communicate()
            self.assert_complete(self.out)
        write(self.out, {"f.txt": "1"})  # sweeps the staging folders the killed writers left
        self.assertEqual(os.listdir(self.tmp), ["out"])

    def test_concurrent_writers_in_one_parent(self):
        targets = [os.path.join(self.tmp, f"t{i}") for i in range(4)] + [self.out, self.out]
        children = [self.writer(t, 100 * i, 25) for i, t in enumerate(targets)]
        for child in children:
            _, err = child.communicate(timeout=120)
            self.assertEqual(child.returncode, 0, err)
        for target in set(targets):
            self.assert_complete(target)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["out", "t0", "t1", "t2", "t3"])


class TrainerOut(Case):
    TRACE = {"format": "qtsim-trace", "version": 1, "epochs": []}

    def test_unrelated_files_are_refused_and_left(self):
        cases = {"notes.json": b"my notes, not JSON", "data.json": b'{"format": "something else"}',
                 "list.json": b"[1, 2]", "empty.json": b""}
        for name, content in cases.items():
            path = os.path.join(self.tmp, name)
            with open(path, "wb") as f:
                f.write(content)
            with self.assertRaisesRegex(TraceError, f"{path}: not replaced: it is not a qtsim trace"):
                check_trace_target(path)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), content)
        os.mkdir(os.path.join(self.tmp, "folder.json"))
        with self.assertRaisesRegex(TraceError, "a folder"):
            check_trace_target(os.path.join(self.tmp, "folder.json"))
        os.symlink(os.path.join(self.tmp, "data.json"), os.path.join(self.tmp, "link.json"))
        with self.assertRaisesRegex(TraceError, "a symbolic link"):
            check_trace_target(os.path.join(self.tmp, "link.json"))

    def test_a_trace_or_nothing_is_accepted(self):
        path = os.path.join(self.tmp, "t.json")
        check_trace_target(path)
        with open(path, "w") as f:
            json.dump(self.TRACE, f)
        check_trace_target(path)

    def test_refused_before_training_and_by_write_trace(self):
        path = os.path.join(self.tmp, "notes.json")
        with open(path, "w") as f:
            f.write("mine")
        with contextlib.redirect_stderr(io.StringIO()) as err:
            status = train_main(["qtsim_train.py", "--data-dir", self.tmp, "--out", path])
        self.assertEqual(status, 1)
        self.assertIn(f"qtsim_train.py: error: --out: {path}: not replaced", err.getvalue())
        with self.assertRaisesRegex(TraceError, "not replaced"):
            write_trace({}, path)
        with open(path) as f:
            self.assertEqual(f.read(), "mine")
        self.assertEqual(sorted(os.listdir(self.tmp)), ["notes.json"])  # no temporary file


if __name__ == "__main__":
    unittest.main()
