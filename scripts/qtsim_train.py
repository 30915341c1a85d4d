#!/usr/bin/python3
"""Quantization-aware ResNet training with per-class bit widths that records a qtsim trace.

Example (a tiny run): scripts/qtsim_train.py --epochs 1 --subset 300 --test-subset 200 --out /tmp/t.json
Documentation: scripts/README_trainer.md.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from qtsim_trainer.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
