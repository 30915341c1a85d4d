"""Dataset readers: Fashion-MNIST (IDX files) and CIFAR-10 (python or binary release), read directly.

A Dataset holds uint8 images (N x C x H x W), int64 labels, the class names and the per-channel
mean and standard deviation used to normalise pixels (x / 255 - mean) / std. The statistics are
the usual published ones of each training set (constants, not recomputed on a subset).
"""
import gzip
import os
import pickle
import struct

import numpy as np
import torch

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"  # Debian package dataset-fashion-mnist
FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                         "Ankle boot"]
FASHION_MNIST_MEAN, FASHION_MNIST_STD = (0.2860,), (0.3530,)
CIFAR10_MEAN, CIFAR10_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)
CIFAR10_BINARY_RECORD = 1 + 3 * 32 * 32  # label byte, then 1024 red, 1024 green, 1024 blue


class DatasetError(Exception):
    pass


class Dataset:
    def __init__(self, name, images, labels, class_names, mean, std):
        self.name, self.images, self.labels = name, images, labels
        self.class_names, self.mean, self.std = class_names, mean, std

    def __len__(self):
        return self.labels.shape[0]

    def normalized(self, index):
        """Float32 images of `index` (a LongTensor), normalised."""
        x = self.images[index].to(torch.float32).div_(255.0)
        mean = torch.tensor(self.mean, dtype=torch.float32).view(1, -1, 1, 1)
        std = torch.tensor(self.std, dtype=torch.float32).view(1, -1, 1, 1)
        return (x - mean) / std


def read_idx(path):
    """An IDX file of unsigned bytes (type 0x08), raw or gzip-compressed, as a uint8 numpy array."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise DatasetError(f"{path}: not an IDX file (the first two bytes must be 0)")
    if data[2] != 0x08:
        raise DatasetError(f"{path}: IDX element type 0x{data[2]:02x} is not supported; expected 0x08 (unsigned byte)")
    ndim = data[3]
    header = 4 + 4 * ndim
    dims = struct.unpack(">" + "I" * ndim, data[4:header])
    count = int(np.prod(dims)) if ndim else 1
    if len(data) - header != count:
        raise DatasetError(f"{path}: IDX payload holds {len(data) - header} bytes; expected {count} for shape {dims}")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def _find(root, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(root, name)
        if os.path.exists(path):
            return path
    raise DatasetError(f"{root}: no {stem} or {stem}.gz (Fashion-MNIST: install Debian's dataset-fashion-mnist)")


def load_fashion_mnist(root=FASHION_MNIST_DIR, train=True):
    prefix = "train" if train else "t10k"
    images = read_idx(_find(root, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(_find(root, f"{prefix}-labels-idx1-ubyte"))
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise DatasetError(f"{root}: {prefix} images {images.shape} and labels {labels.shape} do not match")
    if labels.max() >= len(FASHION_MNIST_CLASSES):
        raise DatasetError(f"{root}: {prefix} label {labels.max()} out of range; expected 0..9")
    return Dataset("fashion_mnist", torch.from_numpy(images.copy()).unsqueeze(1),
                   torch.from_numpy(labels.astype(np.int64)), FASHION_MNIST_CLASSES, FASHION_MNIST_MEAN,
                   FASHION_MNIST_STD)


def _cifar_layout(root):
    """('python'|'binary', folder) of a CIFAR-10 release in `root` or its standard subfolder."""
    for folder in (root, os.path.join(root, "cifar-10-batches-py"), os.path.join(root, "cifar-10-batches-bin")):
        if os.path.exists(os.path.join(folder, "data_batch_1")):
            return "python", folder
        if os.path.exists(os.path.join(folder, "data_batch_1.bin")):
            return "binary", folder
    raise DatasetError(f"{root}: no CIFAR-10 release found (expected data_batch_1 of the python release or "
                       "data_batch_1.bin of the binary release, here or in cifar-10-batches-py/-bin)")


def load_cifar10(root, train=True):
    layout, folder = _cifar_layout(root)
    stems = [f"data_batch_{i}" for i in range(1, 6)] if train else ["test_batch"]
    images, labels = [], []
    for stem in stems:
        if layout == "python":
            with open(os.path.join(folder, stem), "rb") as f:
                batch = pickle.load(f, encoding="bytes")
            images.append(np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32))
            labels.append(np.asarray(batch[b"labels"], dtype=np.int64))
        else:
            raw = np.fromfile(os.path.join(folder, stem + ".bin"), dtype=np.uint8)
            if raw.size % CIFAR10_BINARY_RECORD:
                raise DatasetError(f"{folder}/{stem}.bin: {raw.size} bytes is not a whole number of "
                                   f"{CIFAR10_BINARY_RECORD}-byte records")
            raw = raw.reshape(-1, CIFAR10_BINARY_RECORD)
            labels.append(raw[:, 0].astype(np.int64))
            images.append(raw[:, 1:].reshape(-1, 3, 32, 32))
    if layout == "python":
        with open(os.path.join(folder, "batches.meta"), "rb") as f:
            names = [n.decode() for n in pickle.load(f, encoding="bytes")[b"label_names"]]
    else:
        with open(os.path.join(folder, "batches.meta.txt"), encoding="utf-8") as f:
            names = [line.strip() for line in f if line.strip()]
    labels = np.concatenate(labels)
    if labels.min() < 0 or labels.max() >= len(names):
        raise DatasetError(f"{folder}: label out of range 0..{len(names) - 1}")
    return Dataset("cifar10", torch.from_numpy(np.concatenate(images)), torch.from_numpy(labels), names,
                   CIFAR10_MEAN, CIFAR10_STD)


def balanced_subset(labels, n, num_classes, generator):
    """Indices (ascending) of n samples, n // C of each class plus one more for the first n % C classes,
    each class's samples taken in the order of a seeded permutation. n = 0 or n = len: every sample."""
    total = labels.shape[0]
    if n == 0 or n == total:
        return torch.arange(total)
    if n > total:
        raise DatasetError(f"subset of {n} samples requested; the dataset holds {total}")
    quota = [n // num_classes + (1 if c < n % num_classes else 0) for c in range(num_classes)]
    taken = [0] * num_classes
    chosen = []
    for i in torch.randperm(total, generator=generator).tolist():
        c = int(labels[i])
        if taken[c] < quota[c]:
            taken[c] += 1
            chosen.append(i)
            if len(chosen) == n:
                break
    if len(chosen) < n:
        raise DatasetError(f"subset of {n} samples: class quotas {quota} exceed the samples of some class")
    return torch.tensor(sorted(chosen), dtype=torch.int64)
