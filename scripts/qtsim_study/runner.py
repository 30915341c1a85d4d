"""Runs the arms x seeds of a study, at most `jobs` at a time, resumably.

A run is finished when its accuracy file records every epoch and the final test, and its trace and
predictions files exist; finished runs are never rerun. An unfinished run (interrupted, or never
started) is started from the beginning with the same command (the trainer rewrites only its own
files). random_assignment of seed s waits for class_difficulty of seed s. Every run's folder holds
command.txt (the exact command line, run from the repository root), run.log (the trainer's log),
trace.json, accuracy.json and predictions.json. One runner per study folder (a lock file)."""
import fcntl
import json
import os
import shlex
import subprocess
import sys
import time

from . import protocol

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class StudyError(Exception):
    pass


def read_json(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as f:
        return json.load(f)


def finished(study, arm, seed):
    folder = os.path.join(REPO, protocol.run_folder(study, arm, seed))
    try:
        acc = read_json(os.path.join(folder, "accuracy.json"))
    except (OSError, ValueError):
        return False
    return (acc.get("epochs_completed") == acc.get("epochs") and acc.get("final") is not None and
            all(os.path.isfile(os.path.join(folder, n)) for n in ("trace.json", "predictions.json")))


def study_path(path):
    """The study folder relative to the repository root (commands are run and recorded from there)."""
    rel = os.path.relpath(os.path.abspath(path), REPO)
    if rel.startswith(".."):
        raise StudyError(f"--study {path}: expected a folder inside the repository ({REPO}), so that each run's "
                         "recorded command reruns from the repository root")
    return rel


def check_study_file(study, settings):
    """study.json records the protocol, seeds and arms of the first call; a later call must match."""
    path = os.path.join(REPO, study, "study.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            recorded = json.load(f)
        if recorded.get("protocol") != settings["protocol"]:
            raise StudyError(f"{path}: the study was started with protocol {recorded.get('protocol')}; this call "
                             f"gives {settings['protocol']}; use another --study folder")
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(settings, f, indent=2, sort_keys=True)
        f.write("\n")


def start(study, arm, seed, extra, nice):
    argv = protocol.command(arm, seed, study, read_json, extra)
    folder = os.path.join(REPO, protocol.run_folder(study, arm, seed))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "command.txt"), "w", encoding="utf-8") as f:
        f.write(shlex.join(argv) + "\n")
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    log = open(os.path.join(folder, "run.log"), "w", encoding="utf-8")
    proc = subprocess.Popen([sys.executable] + argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            preexec_fn=(lambda: os.nice(nice)) if nice else None)
    log.close()
    return proc


def plan(study, arms, seeds):
    """Every (arm, seed) of the study in start order: seed by seed, arms in ARM_ORDER."""
    return [(arm, seed) for seed in seeds for arm in protocol.ARM_ORDER if arm in arms]


def ready(study, arm, seed):
    depends = protocol.ARMS[arm][1]
    return depends is None or finished(study, depends, seed)


def run_study(args, out=print):
    study = study_path(args.study)
    extra = protocol.PROTOCOL_EXTRA[args.protocol]
    check_study_file(study, {"protocol": args.protocol, "trainer_arguments": protocol.PROTOCOL + extra,
                             "equivalence_margin_pp": protocol.EQUIVALENCE_MARGIN_PP})
    with open(os.path.join(REPO, study, ".runner.lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StudyError(f"{study}: another qtsim_study.py run is working on this study (lock file "
                             f"{study}/.runner.lock)") from None
        return _run_locked(study, args, extra, out)


def _run_locked(study, args, extra, out):
    todo = [(a, s) for a, s in plan(study, args.arms, args.seeds) if not finished(study, a, s)]
    out(f"study {study}: {len(plan(study, args.arms, args.seeds)) - len(todo)} runs finished, {len(todo)} to run")
    if args.dry_run:
        for arm, seed in todo:
            state = "ready" if ready(study, arm, seed) else "waits for " + protocol.ARMS[arm][1]
            out(f"{arm} seed {seed} ({state})")
        return 0
    running, failed = {}, []
    while todo or running:
        for key, proc in list(running.items()):
            if proc.poll() is not None:
                del running[key]
                ok = proc.returncode == 0 and finished(study, *key)
                out(f"{'finished' if ok else 'FAILED (exit %d)' % proc.returncode}: {key[0]} seed {key[1]}")
                if not ok:
                    failed.append(key)
        blocked = {k for k in todo if protocol.ARMS[k[0]][1] and (protocol.ARMS[k[0]][1], k[1]) in failed}
        todo = [k for k in todo if k not in blocked]
        failed += sorted(blocked)
        for key in [k for k in todo if ready(study, *k)][:max(0, args.jobs - len(running))]:
            todo.remove(key)
            running[key] = start(study, key[0], key[1], extra, args.nice)
            out(f"started: {key[0]} seed {key[1]} (pid {running[key].pid})")
        if todo and not running and not any(ready(study, *k) for k in todo):
            failed += todo
            break
        time.sleep(args.poll_s if running else 0)
    if failed:
        out("not finished: " + ", ".join(f"{a} seed {s}" for a, s in failed) + " (see their run.log)")
        return 1
    return 0
