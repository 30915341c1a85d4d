"""How much the headline energy saving depends on the energy model's assumptions.

The CIFAR-10 reference trace on Bit Fusion 16x16 is replayed under each SRAM corner (CACTI 7, 45 nm)
and DRAM type, under fully clock-gated idle PEs, and, on a bit-serial 16x16 array, with the
bit-serial PE's energy (an assumption: no published figure) halved and doubled.
VARIATIONS lists the runs; sensitivity_rows() reads them; sensitivity_csv() and
sensitivity_figure() present them.
"""
import csv
import io
import json

import matplotlib.pyplot as plt

from . import style

CORNERS = (("a", "a (hp, 360 K;\npessimistic)"), ("b", "b (lstp cells;\ndefault)"), ("c", "c (lop)"),
           ("d", "d (lstp)"))
DRAM_TYPES = ("lpddr4", "ddr4", "hbm2", "gddr5")
BITSERIAL_SCALES = (0.5, 1.0, 2.0)
BITSERIAL_SETS = [("hardware.mac_array.pe_kind", "bitserial")]


def variations():
    """[(key, sets, bitserial scale or None)]: every run of the study, each against the default design."""
    out = []
    for corner, _ in CORNERS:
        for dram in DRAM_TYPES:
            out.append((f"corner_{corner}__{dram}", [("hardware.energy.sram.corner", corner),
                                                     ("hardware.energy.dram_type", dram)], None))
    out.append(("idle_gated", [("hardware.energy.idle_clock_gating", 1)], None))
    for scale in BITSERIAL_SCALES:
        out.append((f"bitserial_x{scale:g}", list(BITSERIAL_SETS), scale))
    return out


def bitserial_table(scale):
    """An energy table (JSON text) extending the built-in one with bitserial_pe_cycle scaled by `scale`."""
    base = 602.6875 * 0.375  # builtin:45nm's bitserial_pe_cycle (fJ), see its note
    return json.dumps({
        "format": "qtsim-energy-table", "version": 1, "name": f"bitserial_x{scale:g}",
        "description": f"builtin:45nm with the bit-serial PE's dynamic energy x {scale:g} (sensitivity study)",
        "extends": "builtin:45nm",
        "entries": {"mac_array": {"bitserial_pe_cycle": {
            "energy": base * scale, "unit": "fJ", "node_nm": 45, "clock_mhz": 500,
            "source": f"builtin:45nm bitserial_pe_cycle x {scale:g} (an assumption varied for sensitivity)"}}},
    }, indent=2) + "\n"


def _row(key, run):
    totals = {s: run.total_energy_pj(s) for s in ("policy", "baseline")}
    static = {s: float(run.side(s)["energy"]["total"]["static_pj"]) for s in totals}
    return {"variation": key, "policy_energy_j": totals["policy"] * 1e-12, "baseline_energy_j": totals["baseline"] * 1e-12,
            "energy_saving_fraction": 1.0 - totals["policy"] / totals["baseline"],
            "policy_static_energy_fraction": static["policy"] / totals["policy"],
            "baseline_static_energy_fraction": static["baseline"] / totals["baseline"]}


def sensitivity_rows(runs):
    """Rows for every variation present in runs {key: RunFolder}, in variations() order."""
    return [_row(key, runs[key]) for key, _, _ in variations() if key in runs]


COLUMNS = ("variation", "policy_energy_j", "baseline_energy_j", "energy_saving_fraction",
           "policy_static_energy_fraction", "baseline_static_energy_fraction")


def sensitivity_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([r[c] if c == "variation" else f"{r[c]:.7g}" for c in COLUMNS])
    return out.getvalue()


def sensitivity_figure(rows):
    """(a) saving by SRAM corner and DRAM type; (b) idle gating and the bit-serial PE's energy."""
    by_key = {r["variation"]: r for r in rows}
    fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(style.DOUBLE_COLUMN_IN, 3.0), constrained_layout=True,
                                     gridspec_kw={"width_ratios": [2.2, 1]})
    width = 0.8 / len(DRAM_TYPES)
    for k, dram in enumerate(DRAM_TYPES):
        for i, (corner, _) in enumerate(CORNERS):
            r = by_key.get(f"corner_{corner}__{dram}")
            if r is None:
                continue
            x = i + (k - (len(DRAM_TYPES) - 1) / 2) * width
            value = 100.0 * r["energy_saving_fraction"]
            ax_a.bar(x, value, width=width * 0.92, color=style.PALETTE[k], label=dram if i == 0 else None)
            ax_a.annotate(f"{value:.1f}", xy=(x, value), xytext=(0, 2), textcoords="offset points", ha="center",
                          va="bottom", rotation=90)
    ax_a.set_xticks(range(len(CORNERS)), [label for _, label in CORNERS])
    ax_a.set_ylabel("energy saving (%)")
    ax_a.set_title("(a) SRAM corner x DRAM type, Bit Fusion 16x16", loc="left")
    ax_a.legend(title="DRAM", loc="upper left", bbox_to_anchor=(1.0, 1.0), handlelength=1.0)
    labels, values = [], []
    for key, label in (("corner_b__lpddr4", "default"), ("idle_gated", "idle\ngated"),
                       *((f"bitserial_x{s:g}", f"serial\nx{s:g}") for s in BITSERIAL_SCALES)):
        if key in by_key:
            labels.append(label)
            values.append(100.0 * by_key[key]["energy_saving_fraction"])
    ax_b.bar(range(len(values)), values, color=style.PALETTE[4], width=0.7)
    for x, v in enumerate(values):
        ax_b.annotate(f"{v:.1f}", xy=(x, v), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom")
    ax_b.set_xticks(range(len(labels)), labels)
    ax_b.set_title("(b) idle gating; bit-serial PE", loc="left")
    for ax in (ax_a, ax_b):
        ax.tick_params(axis="x", length=0)
        ax.grid(axis="y", linewidth=0.3, color="#cccccc")
        ax.set_ylim(0, max([b.get_height() for b in ax.patches] + [1.0]) * 1.2)
    return fig
