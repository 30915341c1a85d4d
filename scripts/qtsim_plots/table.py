"""The comparison table: one row per (trace, hardware design), policy against the uniform baseline.

Every number is read from summary.json (and per_epoch.csv for test accuracy) and ratios are
recomputed from the totals and checked against the summary's own, so the table cannot drift from
the run folders. Written as CSV (snake_case, units in the column names) and as markdown.
"""
import csv
import io
import math

from .accuracy import attributed_accuracy
from .study_accuracy import interval_text
from .run_folder import OutputFolderError

CSV_COLUMNS = (
    "trace", "trace_kind", "hardware", "policy", "low_precision_sample_fraction", "bits_ratio", "bitops_ratio",
    "policy_cycles", "baseline_cycles", "speedup", "policy_energy_j", "baseline_energy_j", "energy_saving_fraction",
    "policy_dram_energy_fraction", "baseline_dram_energy_fraction", "policy_static_energy_fraction",
    "baseline_static_energy_fraction", "area_mm2", "policy_tops_per_mm2", "policy_pe_utilisation_fraction",
    "baseline_pe_utilisation_fraction", "policy_test_accuracy_fraction", "baseline_test_accuracy_fraction",
    "accuracy_note", "policy_accuracy_seeds_mean_fraction", "policy_accuracy_seeds_ci95_low_fraction",
    "policy_accuracy_seeds_ci95_high_fraction", "baseline_accuracy_seeds_mean_fraction",
    "baseline_accuracy_seeds_ci95_low_fraction", "baseline_accuracy_seeds_ci95_high_fraction", "accuracy_seeds",
)
SEED_COLUMNS = {"policy": ("policy_accuracy_seeds_mean_fraction", "policy_accuracy_seeds_ci95_low_fraction",
                           "policy_accuracy_seeds_ci95_high_fraction"),
                "baseline": ("baseline_accuracy_seeds_mean_fraction", "baseline_accuracy_seeds_ci95_low_fraction",
                             "baseline_accuracy_seeds_ci95_high_fraction")}
RELATIVE_TOLERANCE = 1e-9


def _check_ratio(run, key, recomputed, stored):
    if not math.isclose(recomputed, stored, rel_tol=RELATIVE_TOLERANCE):
        raise OutputFolderError(f"{run.file('summary.json')}: {key} is {stored!r} but the totals give "
                                f"{recomputed!r}; the file is inconsistent")


def table_row(trace, hardware, run, baseline_accuracy=None, baseline_accuracy_note="", seeds=None):
    """A dict of CSV_COLUMNS. baseline_accuracy: the uniform run's measured accuracy, when it comes
    from another run folder (the uniform trace) rather than from this run. seeds: {"policy": entry,
    "baseline": entry} of study_accuracy.load_study (either may be None): accuracy over seeds."""
    summary = run.summary
    replay = summary["hardware_replay"]
    cycles = {s: run.total_cycles(s) for s in ("policy", "baseline")}
    energy = {s: run.total_energy_pj(s) for s in ("policy", "baseline")}
    speedup = cycles["baseline"] / cycles["policy"]
    saving = 1.0 - energy["policy"] / energy["baseline"]
    _check_ratio(run, "hardware_replay.speedup", speedup, replay["speedup"])
    _check_ratio(run, "hardware_replay.energy_saving_fraction", saving, replay["energy_saving_fraction"])
    compression = summary["compression"]
    bits = compression["baseline"]["operand_bits"] / compression["policy"]["operand_bits"]
    _check_ratio(run, "compression.bits_ratio", bits, compression["bits_ratio"])
    bitops = compression["baseline"]["bitops"] / compression["policy"]["bitops"]
    _check_ratio(run, "compression.bitops_ratio", bitops, compression["bitops_ratio"])
    dram = {s: float(replay[s]["energy"]["components"].get("dram", {}).get("total_pj", 0.0)) / energy[s]
            for s in energy}
    static = {s: float(replay[s]["energy"]["total"]["static_pj"]) / energy[s] for s in energy}
    area = replay.get("area", {}).get("total_mm2")
    tops_per_mm2 = replay["policy"]["energy"].get("tops_per_mm2")
    attributed = attributed_accuracy(run)
    policy_accuracy, baseline = attributed["policy"], attributed["baseline"]
    note = attributed["note"]
    if baseline is None and baseline_accuracy is not None:
        baseline = baseline_accuracy
        note = f"policy: {note}; uniform: {baseline_accuracy_note}"
    policy = summary.get("policy", {}).get("impl", "") if isinstance(summary.get("policy"), dict) else ""
    return {
        "trace": trace, "trace_kind": summary["trace"]["kind"], "hardware": hardware, "policy": policy,
        "low_precision_sample_fraction": run.low_precision_sample_fraction(), "bits_ratio": bits,
        "bitops_ratio": bitops, "policy_cycles": cycles["policy"], "baseline_cycles": cycles["baseline"],
        "speedup": speedup, "policy_energy_j": energy["policy"] * 1e-12, "baseline_energy_j": energy["baseline"] * 1e-12,
        "energy_saving_fraction": saving, "policy_dram_energy_fraction": dram["policy"],
        "baseline_dram_energy_fraction": dram["baseline"], "policy_static_energy_fraction": static["policy"],
        "baseline_static_energy_fraction": static["baseline"], "area_mm2": area, "policy_tops_per_mm2": tops_per_mm2,
        "policy_pe_utilisation_fraction": float(replay["policy"].get("pe_utilisation_fraction", float("nan"))),
        "baseline_pe_utilisation_fraction": float(replay["baseline"].get("pe_utilisation_fraction", float("nan"))),
        "policy_test_accuracy_fraction": policy_accuracy, "baseline_test_accuracy_fraction": baseline,
        "accuracy_note": note, **seed_cells(seeds or {}),
    }


def seed_cells(seeds):
    cells = {"accuracy_seeds": None}
    for side, columns in SEED_COLUMNS.items():
        entry = seeds.get(side)
        for column, key in zip(columns, ("mean", "low", "high")):
            cells[column] = None if entry is None else entry[key]
        if entry is not None:
            cells["accuracy_seeds"] = entry["n"]
    return cells


def _csv_value(column, value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if column.endswith("_cycles") or column == "accuracy_seeds":
        return str(int(value))
    if column.endswith("_j"):
        return f"{value:.7g}"
    return f"{value:.6f}"


def to_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_csv_value(c, row[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def significant(value, digits=4):
    """value with `digits` significant digits and no exponent, thousands separated: 14,755 / 93.96."""
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(value)))))
    return f"{value:,.{decimals}f}"


def _percent(value, decimals=1):
    return "-" if value is None else f"{100.0 * value:.{decimals}f}%"


MD_HEADER = ("trace", "hardware", "samples at low precision", "compression (bits)", "compression (BitOPs)",
             "cycles, policy (10^9)", "cycles, uniform (10^9)", "speedup", "energy, policy (J)",
             "energy, uniform (J)", "energy saving", "DRAM share of energy (uniform / policy)",
             "static share of energy (uniform / policy)", "area (mm^2)",
             "test accuracy, policy", "test accuracy, uniform",
             "accuracy over seeds, policy (mean [95% CI])", "accuracy over seeds, uniform (mean [95% CI])")


def seeds_text(row, side):
    mean, low, high = (row[c] for c in SEED_COLUMNS[side])
    if mean is None:
        return "-"
    entry = {"mean": mean, "low": low, "high": high, "n": row["accuracy_seeds"]}
    return interval_text(entry)


def to_markdown(rows):
    lines = ["| " + " | ".join(MD_HEADER) + " |", "|" + "---|" * len(MD_HEADER)]
    for r in rows:
        synthetic = r["trace_kind"] == "synthetic"
        policy_acc = "synthetic (not measured)" if synthetic else _percent(r["policy_test_accuracy_fraction"], 2)
        if not synthetic and r["policy_test_accuracy_fraction"] is None:
            policy_acc = "not measured"
        baseline_acc = "synthetic (not measured)" if synthetic else _percent(r["baseline_test_accuracy_fraction"], 2)
        cells = (r["trace"], r["hardware"], _percent(r["low_precision_sample_fraction"]),
                 f"{r['bits_ratio']:.4f}x", f"{r['bitops_ratio']:.4f}x", significant(r["policy_cycles"] / 1e9),
                 significant(r["baseline_cycles"] / 1e9), f"{r['speedup']:.3f}x", significant(r["policy_energy_j"]),
                 significant(r["baseline_energy_j"]), _percent(r["energy_saving_fraction"]),
                 f"{_percent(r['baseline_dram_energy_fraction'], 0)} / {_percent(r['policy_dram_energy_fraction'], 0)}",
                 f"{_percent(r['baseline_static_energy_fraction'], 0)} / "
                 f"{_percent(r['policy_static_energy_fraction'], 0)}",
                 "-" if r["area_mm2"] is None else f"{r['area_mm2']:.3f}",
                 policy_acc, baseline_acc, seeds_text(r, "policy"), seeds_text(r, "baseline"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
