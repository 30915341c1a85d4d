"""qtsim from Python: the simulator's library, in-process (README "From Python").

    import qtsim
    result = qtsim.run()                      # the embedded default run, as `qtsim run`
    result["summary"]["hardware_replay"]      # summary.json as a dict
    result["per_epoch"]                       # per_epoch.csv as a list of dicts
    qtsim.frames(result)["per_epoch"]         # ... as a pandas DataFrame (pandas installed)

Every function takes the inputs `qtsim run` takes: a run file (or None for the embedded default),
`sections={"hardware": "hw.json"}` (the --hardware/--workload/--policy/--run files) and
`sets=["hardware.mac_array.rows=32", ...]` (--set). A problem with an input raises qtsim.Error
(a ValueError) with the message the command line prints; the numbers are the command line's,
byte for byte in the files.
"""
import csv
import io
import json
import warnings

from . import _qtsim

__all__ = ["Error", "__version__", "config", "validate", "run", "gemm", "layers", "sweep_points", "sweep_point",
           "frames"]

Error = _qtsim.Error
__version__ = _qtsim.version

_TABLES = ("per_epoch", "per_class_epoch", "per_layer_phase", "energy")


def _cell(text):
    """A CSV cell as int, float or str (empty: None), as qtsim wrote it."""
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _rows(text):
    return [{k: _cell(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def _unpack(raw):
    """The extension's result: files as bytes -> config/summary dicts and tables as lists of dicts."""
    files = {name: data.decode("utf-8") for name, data in raw.pop("files").items()}
    out = dict(raw)
    out["files"] = files
    if "config.json" in files:
        out["config"] = json.loads(files["config.json"])
    for table in _TABLES:
        if table + ".csv" in files:
            out[table] = _rows(files[table + ".csv"])
    for message in raw.get("warnings", []):
        warnings.warn(message, stacklevel=3)
    return out


def _inputs(run_file, sections, sets):
    if isinstance(sets, str):
        raise TypeError("sets: expected a list of KEY=VALUE strings, got a single string")
    return (None if run_file is None else str(run_file), {k: str(v) for k, v in (sections or {}).items()},
            list(sets or []))


def config(run_file=None, *, sections=None, sets=None):
    """The fully resolved configuration (what `qtsim run` writes to config.json), as a dict."""
    return _qtsim.resolve(*_inputs(run_file, sections, sets))


def validate(path, kind="auto", *, sets=None):
    """Checks a run file, section, network, trace or sweep file as `qtsim validate` does; returns its
    "ok: ..." line, raises qtsim.Error naming the first problem."""
    return _qtsim.validate(str(path), kind, list(sets or []))


def run(run_file=None, *, sections=None, sets=None, out=None, memo=None):
    """Runs the main job (`qtsim run`) in-process and returns a dict: "summary" (summary.json),
    "config" (config.json), the tables "per_epoch", "per_class_epoch", "per_layer_phase" and
    "energy" (lists of dicts), "files" (each output file's text) and "warnings". With `out` the
    output folder is written as `qtsim run --out` writes it ("output_dir" says where); `memo` is
    --memo DIR."""
    raw = _qtsim.run(*_inputs(run_file, sections, sets), None if out is None else str(out),
                     "" if memo is None else str(memo))
    return _unpack(raw)


def gemm(m, k, n, *, a_bits=8, b_bits=8, mode="fast", seed=1, run_file=None, sections=None, sets=None):
    """One GEMM C(MxN) = A(MxK) B(KxN) on the configured hardware (`qtsim gemm`): fast mode by
    default, "reference" for the cycle-by-cycle SystemC model (seeded operands, values checked).
    Returns {"config", "stats" (stats.json: component -> statistic -> value, unit, description),
    "energy" (energy.csv rows), "energy_provenance", "files"}."""
    raw = _qtsim.gemm(m, k, n, a_bits, b_bits, mode, seed, *_inputs(run_file, sections, sets))
    out = _unpack(raw)
    out["config"] = raw["config"]
    return out


def layers(topology, scalesim_config=None, *, topology_format="detect", mode="fast", a_bits=8, b_bits=8, seed=1,
           run_file=None, sections=None, sets=None):
    """Every layer of a SCALE-Sim topology (`qtsim layers`): {"layers": per-layer shape and statistics,
    "layer_table" (layers.csv rows), "compute_report" (compute_report.csv rows, SCALE-Sim's layout),
    "files", "note" (why the SCALE-Sim files are absent, or "")}."""
    raw = _qtsim.layers(str(topology), "" if scalesim_config is None else str(scalesim_config), topology_format,
                        mode, a_bits, b_bits, seed, *_inputs(run_file, sections, sets))
    out = _unpack(raw)
    out["layer_table"] = _rows(out["files"]["layers.csv"])
    if "compute_report.csv" in out["files"]:
        text = "\n".join(line.rstrip(",") for line in out["files"]["compute_report.csv"].splitlines())
        out["compute_report"] = [{k.strip(): _cell(v.strip()) for k, v in row.items()}
                                 for row in csv.DictReader(io.StringIO(text), skipinitialspace=True)]
    return out


def sweep_points(sweep_file):
    """The points of a sweep file, in order: [{"index": i, "values": {axis: value}}, ...]."""
    return _qtsim.sweep_points(str(sweep_file))


def sweep_point(sweep_file, index, *, memo=None):
    """Runs point `index` of a sweep file as `qtsim sweep` does (fast mode). Returns the run's dict
    (see run()) with "index", "values" and "status": "ok", or "filtered" (no results) when the
    sweep's filters skip it. An invalid point raises qtsim.Error."""
    raw = _qtsim.sweep_point(str(sweep_file), int(index), "" if memo is None else str(memo))
    return _unpack(raw) if "files" in raw else raw


def frames(result):
    """The tables of a run() or gemm() result as pandas DataFrames (needs pandas: Debian's python3-pandas)."""
    try:
        import pandas
    except ImportError as error:
        raise ImportError("qtsim.frames needs pandas (Debian: apt-get install python3-pandas)") from error
    return {name: pandas.DataFrame(result[name]) for name in _TABLES if name in result}
