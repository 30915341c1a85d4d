"""README.md of results/paper: the command, the runs, the table, the figures and a reading of them.

Every number in the text is taken from the table rows or the run folders, and statements that depend
on the numbers (which component dominates, how the designs rank) are chosen from them, so the text
stays true when the command is rerun on a changed model.
"""
from .study_accuracy import STUDY_ANALYSIS
from .table import seeds_text, significant, to_markdown

COMMAND = "scripts/make_paper_results.py"


def _pct(x, decimals=1):
    return f"{100.0 * x:.{decimals}f}%"


def _phase_ratios(run):
    """{phase: (baseline compute cycles / policy compute cycles, baseline / policy total cycles)}."""
    table = run.table("per_layer_phase.csv", ("phase", "policy_cycles", "baseline_cycles",
                                              "policy_compute_cycles", "baseline_compute_cycles"))
    sums = {}
    columns = {c: table.numbers(c) for c in ("policy_cycles", "baseline_cycles", "policy_compute_cycles",
                                               "baseline_compute_cycles")}
    for i, phase in enumerate(table.strings("phase")):
        entry = sums.setdefault(phase, dict.fromkeys(columns, 0.0))
        for c in columns:
            entry[c] += columns[c][i]
    return {p: (s["baseline_compute_cycles"] / s["policy_compute_cycles"] if s["policy_compute_cycles"] else None,
                s["baseline_cycles"] / s["policy_cycles"] if s["policy_cycles"] else None) for p, s in sums.items()}


def _dram_share_of_saving(row, run):
    """Fraction of the policy's energy saving that is saved in DRAM."""
    dram = [float(run.side(s)["energy"]["components"].get("dram", {}).get("total_pj", 0.0)) for s in ("baseline", "policy")]
    saved = run.total_energy_pj("baseline") - run.total_energy_pj("policy")
    return (dram[0] - dram[1]) / saved if saved else 0.0


def _largest_component(run, side):
    components = run.side(side)["energy"]["components"]
    return max(components, key=lambda name: float(components[name]["total_pj"]))


def _reading(rows, row_runs):
    by = {(t.key, d.key): (row, run) for row, (t, d, run) in zip(rows, row_runs)}
    designs = []
    for _, d, _ in row_runs:
        if d not in designs:
            designs.append(d)
    out = ["## Where the paper's 1.33x lands", ""]
    out.append("Jo & Park report 1.33x better compression than uniform 8/8/16 for ResNet-20 on CIFAR-10. Halving "
               "every operand's bits for a fraction f of the samples gives about 1 / (1 - f/2) in operand bits: "
               "1 / (0.5 + 0.25) = 1.33x for half of the samples, so the paper's figure corresponds to about half "
               "of the samples trained at low precision.")
    out.append("")
    if ("cifar10", "bitfusion16") in by:
        r, _ = by[("cifar10", "bitfusion16")]
        f = r["low_precision_sample_fraction"]
        out.append(f"- **CIFAR-10 reference trace (synthetic)**: with the default threshold 0.9, {_pct(f)} of the samples "
                   f"are easy (4/4/8), so the policy compresses by {r['bits_ratio']:.4f}x in operand bits "
                   f"(1 / (1 - f/2) = {1 / (1 - f / 2):.4f}x) and {r['bitops_ratio']:.4f}x in BitOPs: above the "
                   "paper, because the synthetic trace's per-class training accuracies plateau between 0.79 and "
                   "0.96, so most classes pass 0.9. Its accuracies are modelled, not measured: this trace says "
                   "nothing about the accuracy cost.")
    if ("fmnist_cd", "bitfusion16") in by:
        r, _ = by[("fmnist_cd", "bitfusion16")]
        f = r["low_precision_sample_fraction"]
        delta = None
        if r["policy_test_accuracy_fraction"] is not None and r["baseline_test_accuracy_fraction"] is not None:
            delta = 100.0 * (r["policy_test_accuracy_fraction"] - r["baseline_test_accuracy_fraction"])
        text = (f"- **Fashion-MNIST, recorded class_difficulty run** (seed 0 of the accuracy study): {_pct(f)} of "
                "the samples at 4/4/8 give "
                f"{r['bits_ratio']:.4f}x in operand bits (1 / (1 - f/2) = {1 / (1 - f / 2):.4f}x; the difference: "
                f"epochs and layers where weights are read once per precision group) and {r['bitops_ratio']:.4f}x "
                "in BitOPs: the regime of the paper's 1.33x.")
        if delta is not None:
            text += (f" On seed 0 the last epoch's test (2,000 images at 8/8) gives "
                     f"{_pct(r['policy_test_accuracy_fraction'], 2)} against "
                     f"{_pct(r['baseline_test_accuracy_fraction'], 2)} for uniform 8/8/16 ({delta:+.2f} percentage "
                     "points).")
        if r["policy_accuracy_seeds_mean_fraction"] is not None:
            text += (f" Over the study's seeds (full 10,000-image test at 8/8, mean [95% t interval]): "
                     f"{seeds_text(r, 'policy')} against {seeds_text(r, 'baseline')}; the paired differences, the "
                     "equivalence test at +-1 point and the random-assignment control are in "
                     "[`../fashion_mnist_study/README.md`](../fashion_mnist_study/README.md).")
        if delta is not None:
            text += " The replay reproduces the trainer's tiers in every epoch and class."
        out.append(text)
    if ("fmnist_uniform_cd", "bitfusion16") in by:
        r, _ = by[("fmnist_uniform_cd", "bitfusion16")]
        out.append(f"- **Fashion-MNIST, tags from the uniform run**: the same policy applied to the uniform run's "
                   f"training accuracies tags {_pct(r['low_precision_sample_fraction'])} of the samples easy "
                   f"({r['bits_ratio']:.4f}x): a uniformly trained network passes the threshold sooner than one "
                   "trained partly at 4/4/8. No network was trained under these tags; no accuracy is claimed.")
    out += ["", "## What cycles and energy add", ""]
    for t_key, t_name in (("cifar10", "CIFAR-10"), ("fmnist_cd", "Fashion-MNIST (class_difficulty run)")):
        parts = [f"{d.label} {by[(t_key, d.key)][0]['speedup']:.3f}x faster, "
                 f"{_pct(by[(t_key, d.key)][0]['energy_saving_fraction'])} less energy"
                 for d in designs if (t_key, d.key) in by]
        if parts:
            out.append(f"- **{t_name}**: " + "; ".join(parts) + ".")
    if ("cifar10", "bitfusion16") in by:
        r, _ = by[("cifar10", "bitfusion16")]
        relation = "below" if r["speedup"] < r["bits_ratio"] else "above"
        out.append(f"- On Bit Fusion 16x16 the speedup ({r['speedup']:.3f}x) lies {relation} the bits ratio "
                   f"({r['bits_ratio']:.4f}x) and well below the BitOPs ratio ({r['bitops_ratio']:.4f}x): 4x4-bit "
                   "products run four times as fast on a fused PE, but vector work (batch norm, ReLU, quantizers, "
                   "the optimizer), DRAM load stalls and array fill and drain do not shrink with the bits; PE "
                   f"utilisation falls from {_pct(r['baseline_pe_utilisation_fraction'])} (uniform) to "
                   f"{_pct(r['policy_pe_utilisation_fraction'])} (policy).")
    if ("cifar10", "fixed8_16") in by:
        r, run = by[("cifar10", "fixed8_16")]
        ratios = _phase_ratios(run)
        fwd = ratios.get("fwd", (None, None))[0]
        bwd = ratios.get("bwd_data", (None, None))[0]
        wgrad = ratios.get("wgrad", (None, None))[0]
        if None not in (fwd, bwd, wgrad):
            out.append(f"- **Fixed 8-bit PEs gain less** ({r['speedup']:.3f}x, {_pct(r['energy_saving_fraction'])} on "
                       f"CIFAR-10): 4-bit operands run at the 8-bit rate, so forward compute cycles change by "
                       f"{fwd:.3f}x; the speedup comes from the gradients, 8 bits instead of 16, which need one pass "
                       f"instead of two (compute cycles {bwd:.3f}x in backward data, {wgrad:.3f}x in the weight "
                       "gradient), and the energy saving from fewer cycles, less DRAM traffic (tensors are stored "
                       "packed) and the gated share of a narrow product.")
    shares = [(row[f"{s}_dram_energy_fraction"], s, row, run) for row, (_, _, run) in zip(rows, row_runs)
              for s in ("baseline", "policy")]
    low, high = min(x[0] for x in shares), max(x[0] for x in shares)
    dram_largest = all(_largest_component(run, s) == "dram" for _, s, _, run in shares)
    out.append(f"- **DRAM**: DRAM takes {_pct(low, 0)} to {_pct(high, 0)} of the energy across these runs"
               + (" and is the largest component in every one" if dram_largest else "")
               + ": operands that do not fit the buffers are tiled and reloaded from DRAM, priced at 8 pJ/bit "
               "(LPDDR4) plus its background power (156.1 mW for a 64-bit interface, charged for the whole run), "
               "against tens of pJ per 64-bit SRAM word and under 1 pJ per product. Tensors are stored "
               "packed at their precision, so the policy's DRAM traffic shrinks with its bits"
               + (f": on Bit Fusion 16x16 and CIFAR-10, DRAM accounts for {_pct(_dram_share_of_saving(*by[key]), 0)} "
                  "of the energy saved." if (key := ("cifar10", "bitfusion16")) in by else "."))
    if ("cifar10", "bitfusion32") in by and ("cifar10", "bitfusion16") in by:
        big, _ = by[("cifar10", "bitfusion32")]
        small, _ = by[("cifar10", "bitfusion16")]
        out.append(f"- **Bit Fusion 32x32** (4x the PEs and buffer capacity, 2x the banks, DRAM bandwidth and vector "
                   f"lanes): the uniform baseline takes {big['baseline_cycles'] / small['baseline_cycles']:.3f}x the "
                   f"cycles of the 16x16 design and the policy {big['policy_cycles'] / small['policy_cycles']:.3f}x; "
                   f"PE utilisation is {_pct(big['baseline_pe_utilisation_fraction'])} (uniform) and "
                   f"{_pct(big['policy_pe_utilisation_fraction'])} (policy), and the energy of the uniform baseline is "
                   f"{big['baseline_energy_j'] / small['baseline_energy_j']:.3f}x the 16x16 design's (larger SRAMs "
                   "cost more per access and leak more).")
    out.append("")
    return out


def _static_saved_share(run):
    """Fraction of the policy's energy saving that is static energy (leakage, DRAM background) avoided."""
    static = [float(run.side(s)["energy"]["total"]["static_pj"]) for s in ("baseline", "policy")]
    saved = run.total_energy_pj("baseline") - run.total_energy_pj("policy")
    return (static[0] - static[1]) / saved if saved else 0.0


def _assumptions(by, designs, sensitivity):
    """Static energy, area, and how the saving moves with the energy model's assumptions."""
    out = ["## Static energy, area and the assumptions", ""]
    if ("cifar10", "bitfusion16") in by:
        r, run = by[("cifar10", "bitfusion16")]
        out.append(f"- **Static energy** (SRAM and logic leakage, DRAM background power) is "
                   f"{_pct(r['baseline_static_energy_fraction'], 0)} of the uniform baseline's energy and "
                   f"{_pct(r['policy_static_energy_fraction'], 0)} of the policy's on Bit Fusion 16x16 and CIFAR-10; "
                   f"{_pct(_static_saved_share(run), 0)} of the joules the policy saves are static energy avoided by "
                   "finishing sooner, the rest dynamic energy of fewer bits moved and multiplied.")
    areas = [(d, by[("cifar10", d.key)][0]) for d in designs if ("cifar10", d.key) in by]
    if areas and all(r["area_mm2"] is not None for _, r in areas):
        out.append("- **Area** (PEs from the synthesis, buffers from CACTI 7, 45 nm): "
                   + "; ".join(f"{d.label} {r['area_mm2']:.3f} mm^2, {r['policy_tops_per_mm2']:.4f} TOPS/mm^2 under "
                               "the policy" for d, r in areas) + ".")
    if ("cifar10", "fixed8_16") in by and ("cifar10", "bitfusion16") in by:
        fixed, bf = by[("cifar10", "fixed8_16")][0], by[("cifar10", "bitfusion16")][0]
        cheaper = fixed["policy_energy_j"] < bf["policy_energy_j"]
        slower = fixed["policy_cycles"] / bf["policy_cycles"]
        why = ("its cheaper PEs (203.4 fJ per cycle against Bit Fusion's 459.2 fJ) outweigh taking "
               f"{slower:.2f}x the cycles" if cheaper else
               "its cheaper PEs (203.4 fJ per cycle against Bit Fusion's 459.2 fJ) do not make up for taking "
               f"{slower:.2f}x the cycles, through which leakage and DRAM background power are charged")
        out.append(f"- Under the policy, the fixed 8-bit array ({significant(fixed['policy_energy_j'])} J) costs "
                   f"{'less' if cheaper else 'more'} than Bit Fusion 16x16 ({significant(bf['policy_energy_j'])} J) "
                   f"on CIFAR-10: {why}.")
    if ("cifar10", "bitfusion32") in by and ("cifar10", "bitfusion16") in by:
        big, small = by[("cifar10", "bitfusion32")][0], by[("cifar10", "bitfusion16")][0]
        verb = "less" if big["baseline_energy_j"] < small["baseline_energy_j"] else "more"
        out.append(f"- Bit Fusion 32x32's uniform baseline costs {verb} than 16x16's "
                   f"({significant(big['baseline_energy_j'])} J against {significant(small['baseline_energy_j'])} J).")
    if sensitivity:
        savings = {r["variation"]: r["energy_saving_fraction"] for r in sensitivity}
        grid = [v for k, v in savings.items() if k.startswith("corner_")]
        text = (f"- **Sensitivity** (`sensitivity.csv`, figure `sensitivity`): across the four SRAM corners and four "
                f"DRAM types the policy's saving on CIFAR-10 and Bit Fusion 16x16 ranges from {_pct(min(grid))} to "
                f"{_pct(max(grid))}")
        if "corner_a__lpddr4" in savings and "corner_b__lpddr4" in savings:
            text += (f" ({_pct(savings['corner_b__lpddr4'])} at the default corner b, "
                     f"{_pct(savings['corner_a__lpddr4'])} at the pessimistic corner a, LPDDR4 both)")
        text += ": the direction of the conclusion does not depend on these assumptions, its size does."
        if "idle_gated" in savings:
            text += f" With idle PEs fully clock-gated the saving is {_pct(savings['idle_gated'])}."
        serial = [savings[k] for k in ("bitserial_x0.5", "bitserial_x1", "bitserial_x2") if k in savings]
        if len(serial) == 3:
            text += (" On a bit-serial array, whose PE energy is an assumption, halving and doubling it moves the "
                     f"saving from {_pct(serial[1])} to {_pct(serial[0])} and {_pct(serial[2])}.")
        out.append(text)
    out.append("")
    return out


def readme(rows, row_runs, captions, traces, designs, sensitivity=()):
    lines = ["# Paper reproduction: class-difficulty mixed precision on three accelerator designs", "",
             f"Everything in this folder is written by `{COMMAND}` (from the repository root; "
             "`--qtsim PATH` names another qtsim build, `--runs-dir DIR` keeps the run folders). Do not edit it by "
             "hand: rerun the command, which replaces the folder as a whole. It runs `qtsim run` for every trace x "
             "hardware design below with qtsim's default policy (class_difficulty: hard 8/8/16, easy 4/4/8 from 0.9 "
             "training accuracy in the previous epoch, epoch 0 all hard) against the uniform 8/8/16 baseline that "
             "comes with every run, and makes the table and the figures from the run folders alone "
             "(`scripts/qtsim_plots/`).", "", "```sh", COMMAND, "```", "", "## Runs", "",
             "| trace | `qtsim run` settings |", "|---|---|"]
    for t in traces:
        sets = " ".join(f"`--set {k}={v}`" for k, v in t.sets) or "(defaults: `builtin:cifar10_resnet20_synthetic`)"
        role = "" if t.in_table else " (its test accuracy is the uniform baseline's)"
        lines.append(f"| {t.label}{role} | {sets} |")
    lines += ["", "| hardware design | settings (on top of the defaults) |", "|---|---|"]
    for d in designs:
        lines.append(f"| {d.label} | " + (" ".join(f"`--set {k}={v}`" for k, v in d.sets) or
                                          "defaults: 16x16 Bit Fusion PEs, output stationary, 1 GHz, 4 x 64 KiB "
                                          "buffers of 4 banks, LPDDR4 at 16 B/cycle, 16 vector lanes") + " |")
    lines += ["", "The larger design scales every resource that feeds the array with it: buffer capacity with the "
              "number of PEs (the same 1 KiB per PE and buffer as the default), banks, DRAM bandwidth and vector "
              "lanes with the array's edge (32 operands enter per row and column per cycle instead of 16), so that "
              "the comparison is not one of a starved array.", "", "## Table", "",
              "`table.csv` holds the same rows at full precision with units in the column names (and PE "
              "utilisation). Compression ratios are baseline over policy (operand bits; BitOPs = sum of bA x bB per "
              "MAC); speedup = uniform cycles / policy cycles; energy saving = 1 - policy energy / uniform energy. "
              "Test accuracy is the final epoch's, every test image at 8/8 bits, from the recorded traces (seed 0 "
              "of the Fashion-MNIST accuracy study, 2,000 test images); the uniform column of the Fashion-MNIST "
              "rows is the recorded uniform run's. The columns over seeds are the study's (`" + STUDY_ANALYSIS +
              "`): the mean final test accuracy over its seeds on the full 10,000-image test set at 8/8, with "
              "its 95% t interval.", "",
              to_markdown(rows).rstrip("\n"), ""]
    lines += ["## Figures", "", "Each figure is in `figures/` as PNG (300 dpi) and PDF, sized for a paper column "
              "(3.5 in) or page (7.16 in) with 8 pt text and the Okabe-Ito colour-blind-safe palette.", ""]
    for stem, caption in captions:
        lines.append(f"- `{stem}` ([png](figures/{stem}.png), [pdf](figures/{stem}.pdf)): {caption}")
    lines.append("")
    lines += _reading(rows, row_runs)
    by = {(t.key, d.key): (row, run) for row, (t, d, run) in zip(rows, row_runs)}
    lines += _assumptions(by, [d for d in designs], sensitivity)
    lines += ["## Reproducibility", "",
              "qtsim's output folders are byte-identical for identical inputs, and the table is computed from them "
              "with fixed formatting, so rerunning the command on the committed inputs gives identical `table.csv`, "
              "`table.md` and `README.md`. The figures are written without timestamps or version strings (PNG "
              "without a Software chunk, PDF without creation date and producer), so the same matplotlib gives the "
              "same bytes; another matplotlib or font version may draw them differently.", ""]
    return "\n".join(lines)
