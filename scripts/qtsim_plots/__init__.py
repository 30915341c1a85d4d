"""Figures and tables from qtsim output folders (docs/outputs.md: plots read only result files).

Modules: run_folder (reading and validating an output folder), style (palette, fonts, deterministic
saving), figures_run (figures of one run), figures_compare (figures across runs), table (the
comparison table), atomic (marked output folders, replaced atomically). Entry points: scripts/plot_run.py,
scripts/plot_compare.py, scripts/make_paper_results.py. Run with Debian's /usr/bin/python3
(python3-matplotlib, python3-numpy).
"""
