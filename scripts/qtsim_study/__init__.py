"""The accuracy study of issue 16: runner (runner.py), protocol and arms (protocol.py), statistics
(stats.py), qtsim replay and report (analysis.py). Documentation: scripts/README_trainer.md."""
