"""Writes the analysis (analysis.py) as analysis.json, analysis.md and accuracy_vs_energy.png."""
import json
import os

from .runner import REPO


def _pm(iv, digits=2, scale=1.0, unit=""):
    mean = iv["mean"] * scale
    if iv["ci95"] is None:
        return f"{mean:.{digits}f}{unit} (n = 1)"
    low, high = (v * scale for v in iv["ci95"])
    return f"{mean:.{digits}f}{unit} [{low:.{digits}f}, {high:.{digits}f}]"


def markdown(result):
    margin = result["equivalence_margin_pp"]
    lines = [f"# Study `{result['study']}`: analysis", "",
             "Written by `scripts/qtsim_study.py analyze`; means over seeds with 95% t intervals in brackets "
             "(none for a single seed, marked n = 1). "
             f"Accuracy: the full test set after the last epoch, every image at 8/8 (and FP32). Equivalence: "
             f"paired TOST against `{result['baseline_arm']}` at +-{margin:g} pp (fixed before the runs), "
             "alpha 0.05.", "",
             "| arm | seeds | test accuracy 8/8 (%) | FP32 (%) | samples at 4/4/8 | qtsim bits ratio | "
             "qtsim BitOPs ratio | qtsim energy saving (%) |", "|---|---|---|---|---|---|---|---|"]
    for arm, a in result["arms"].items():
        lines.append(f"| `{arm}` | {','.join(map(str, a['seeds']))} | {_pm(a['deploy_accuracy_pct'])} | "
                     f"{_pm(a['fp32_accuracy_pct'])} | {_pm(a['low_precision_fraction'], 1, 100, '%')} | "
                     f"{_pm(a['bits_ratio'], 4)} | {_pm(a['bitops_ratio'], 4)} | "
                     f"{_pm(a['energy_saving_fraction'], 2, 100)} |")
    lines += ["", f"## Paired against `{result['baseline_arm']}`", "",
              "| arm | seeds | difference (pp) | TOST p | equivalent within +-1 pp | McNemar per seed (b, c, p) |",
              "|---|---|---|---|---|---|"]
    for arm, a in result["arms"].items():
        if a.get("against_baseline"):
            lines.append(_paired_row(f"`{arm}`", a["against_baseline"]))
    control = result["arms"].get("class_difficulty", {}).get("against_random_assignment")
    if control:
        lines += ["", "## `class_difficulty` against `random_assignment` (same 4/4/8 samples per epoch)", "",
                  "| comparison | seeds | difference (pp) | TOST p | equivalent within +-1 pp | McNemar per seed "
                  "(b, c, p) |", "|---|---|---|---|---|---|", _paired_row("class_difficulty - random_assignment",
                                                                           control)]
    lines += ["", "McNemar: b = test images only the reference (baseline, or random_assignment) classifies correctly, "
              "c = only the arm; exact "
              "two-sided binomial p.", "", "## Runs", "", "| arm | seed | 8/8 (%) | FP32 (%) | energy saving (%) | "
              "qtsim rows checked (tier = trainer's) |", "|---|---|---|---|---|---|"]
    for r in result["runs"]:
        lines.append(f"| `{r['arm']}` | {r['seed']} | {r['deploy_accuracy_pct']:.2f} | {r['fp32_accuracy_pct']:.2f} | "
                     f"{100 * r['energy_saving_fraction']:.2f} | {r['qtsim_rows_checked']} |")
    return "\n".join(lines) + "\n"


def _paired_row(name, cmp):
    t = cmp["tost"]
    tost_p = "n < 2" if t is None else f"{t['p']:.4f}"
    verdict = "not testable (n < 2)" if t is None else ("yes" if t["equivalent"] else "no")
    mc = "; ".join(f"seed {m['seed']}: {m['b']}, {m['c']}, {m['p']:.3g}" for m in cmp["mcnemar"])
    return f"| {name} | {','.join(map(str, cmp['seeds']))} | {_pm(cmp['difference_pp'])} | {tost_p} | {verdict} | {mc} |"


def figure(result, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for i, (arm, a) in enumerate(result["arms"].items()):
        color = f"C{i}"
        runs = [r for r in result["runs"] if r["arm"] == arm]
        ax.scatter([r["energy_pj"] / r["baseline_energy_pj"] for r in runs], [r["deploy_accuracy_pct"] for r in runs],
                   color=color, alpha=0.35, s=14)
        x = sum(r["energy_pj"] / r["baseline_energy_pj"] for r in runs) / len(runs)
        acc = a["deploy_accuracy_pct"]
        yerr = None if acc["ci95"] is None else [[acc["mean"] - acc["ci95"][0]], [acc["ci95"][1] - acc["mean"]]]
        save = a["energy_saving_fraction"]
        xerr = None if save["ci95"] is None else [[save["ci95"][1] - save["mean"]], [save["mean"] - save["ci95"][0]]]
        ax.errorbar([x], [acc["mean"]], yerr=yerr, xerr=xerr, fmt="o", color=color, capsize=3,
                    label=f"{arm} (n = {acc['n']})")
    ax.set_xlabel("qtsim training energy / uniform 8/8/16 energy (same trace)")
    ax.set_ylabel("test accuracy at 8/8, full test set (%)")
    ax.set_title("Accuracy against energy: mean and 95% interval over seeds", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120, metadata={"Software": None})
    plt.close(fig)


def write_all(result):
    folder = os.path.join(REPO, result["study"])
    with open(os.path.join(folder, "analysis.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(os.path.join(folder, "analysis.md"), "w", encoding="utf-8") as f:
        f.write(markdown(result))
    figure(result, os.path.join(folder, "accuracy_vs_energy.png"))
    return [os.path.join(result["study"], n) for n in ("analysis.json", "analysis.md", "accuracy_vs_energy.png")]
