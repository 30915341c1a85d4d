"""Paper style: Okabe-Ito colours, fonts of at least 8 pt at the saved size, deterministic files.

`apply()` must run before pyplot is imported anywhere (it selects the Agg backend). `save()` writes
PNG and/or PDF without timestamps or version strings, so the same figure gives the same bytes.
"""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
    "grey": "#999999",
}
PALETTE = [OKABE_ITO[name] for name in ("blue", "orange", "bluish_green", "vermillion", "sky_blue",
                                        "reddish_purple", "yellow", "black")]
# Sides of a replay: the uniform baseline and the policy, the same colours in every figure.
SIDE_COLOUR = {"baseline": OKABE_ITO["grey"], "policy": OKABE_ITO["blue"]}
SIDE_LABEL = {"baseline": "uniform 8/8/16", "policy": "class_difficulty"}

SINGLE_COLUMN_IN = 3.5
DOUBLE_COLUMN_IN = 7.16
FONT_PT = 8
FORMATS = ("png", "pdf")
PNG_DPI = 300


def apply():
    matplotlib.rcParams.update({
        "font.family": "DejaVu Sans", "font.size": FONT_PT, "axes.titlesize": FONT_PT,
        "axes.labelsize": FONT_PT, "xtick.labelsize": FONT_PT, "ytick.labelsize": FONT_PT,
        "legend.fontsize": FONT_PT, "figure.titlesize": FONT_PT, "legend.title_fontsize": FONT_PT,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE), "axes.spines.top": False,
        "axes.spines.right": False, "legend.frameon": False, "savefig.dpi": PNG_DPI,
        "pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "qtsim", "path.simplify": False,
        "axes.axisbelow": True, "hatch.linewidth": 0.6,
    })


def scale(max_value, unit):
    """(divisor, label) so that max_value / divisor lies in [1, 1000): J, mJ, kJ; s, ms; plain powers."""
    prefixes = [(1e-12, "p"), (1e-9, "n"), (1e-6, "\u00b5"), (1e-3, "m"), (1.0, ""), (1e3, "k"), (1e6, "M")]
    divisor, prefix = 1.0, ""
    for factor, name in prefixes:
        if max_value >= factor:
            divisor, prefix = factor, name
    return divisor, prefix + unit


def power_of_ten(max_value):
    """(divisor, suffix) for counts: 10^(3k) with max_value / divisor in [1, 1000)."""
    exponent = 0
    while max_value >= 1000.0 * 10.0 ** exponent:
        exponent += 3
    if exponent == 0:
        return 1.0, ""
    return 10.0 ** exponent, rf" ($\times 10^{{{exponent}}}$)"


def save(fig, out_dir, stem, formats=FORMATS):
    """Writes out_dir/stem.<format> for each format; returns the paths."""
    paths = []
    for fmt in formats:
        path = os.path.join(out_dir, f"{stem}.{fmt}")
        if fmt == "png":
            fig.savefig(path, format="png", dpi=PNG_DPI, metadata={"Software": None})
        elif fmt == "pdf":
            fig.savefig(path, format="pdf",
                        metadata={"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None})
        elif fmt == "svg":
            fig.savefig(path, format="svg", metadata={"Creator": None, "Date": None})
        else:
            raise ValueError(f"unknown figure format {fmt!r}; valid formats: png, pdf, svg")
        paths.append(path)
    plt.close(fig)
    return paths
