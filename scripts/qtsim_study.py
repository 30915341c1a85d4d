#!/usr/bin/python3
"""A resumable accuracy study: arms x seeds of the trainer, then paired statistics and qtsim energy.

  scripts/qtsim_study.py run     --study DIR [--seeds 0,1,2] [--arms ...] [--jobs 2] [--dry-run]
  scripts/qtsim_study.py analyze --study DIR [--qtsim build/release/qtsim]

Documentation: scripts/README_trainer.md ("The accuracy study").
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from qtsim_study.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
