"""qtsim_trainer: quantization-aware ResNet training that records qtsim traces.

Modules (each small, each testable on its own):
  datasets   Fashion-MNIST IDX and CIFAR-10 (python or binary release) readers, subsets
  network    a torch model built from a qtsim network JSON (workloads/networks/*.json)
  quantize   fake quantizers and the autograd functions of quantization-aware training
  policies   `uniform`, `class_difficulty` (same keys and tagging rule as qtsim's C++ policies), `random_assignment`
  grouping   precision groups of a mini-batch (qtsim's PrecisionGrouping)
  trace      the qtsim trace format v1 writer
  train      the training loop
  cli        the command line of scripts/qtsim_train.py
"""

TOOL_NAME = "qtsim_train.py"
TOOL_VERSION = 3  # bumped whenever a change alters the numbers a given command records
