"""Dataset readers on tiny hand-made files, and the installed Fashion-MNIST."""
import gzip
import os
import pickle
import tempfile
import unittest

import _paths  # noqa: F401
import numpy as np
import torch

from qtsim_trainer.datasets import (FASHION_MNIST_DIR, DatasetError, balanced_subset, load_cifar10,
                                    load_fashion_mnist, read_idx)

# IDX: magic 00 00 08 <ndim>, ndim big-endian uint32 sizes, then the bytes.
LABELS_IDX = bytes([0, 0, 8, 1, 0, 0, 0, 3, 2, 0, 9])
IMAGES_IDX = bytes([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2]) + bytes(range(12))


class Idx(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, data):
        path = os.path.join(self.dir.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_raw_labels(self):
        self.assertEqual(read_idx(self.write("l", LABELS_IDX)).tolist(), [2, 0, 9])

    def test_gzip_images(self):
        a = read_idx(self.write("i.gz", gzip.compress(IMAGES_IDX)))
        self.assertEqual(a.shape, (3, 2, 2))
        self.assertEqual(a[1].tolist(), [[4, 5], [6, 7]])  # bytes 4..7 are the second image, row-major
        self.assertEqual(a.dtype, np.uint8)

    def test_bad_magic_type_and_size_are_errors(self):
        with self.assertRaisesRegex(DatasetError, "not an IDX file"):
            read_idx(self.write("a", b"\x01\x00\x08\x01\x00\x00\x00\x01\x00"))
        with self.assertRaisesRegex(DatasetError, "element type 0x0d"):
            read_idx(self.write("b", bytes([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0])))
        with self.assertRaisesRegex(DatasetError, "holds 2 bytes; expected 3"):
            read_idx(self.write("c", LABELS_IDX[:-1]))

    def test_fashion_mnist_folder_with_both_file_forms(self):
        self.write("train-images-idx3-ubyte.gz", gzip.compress(IMAGES_IDX))
        self.write("train-labels-idx1-ubyte", LABELS_IDX)
        data = load_fashion_mnist(self.dir.name, train=True)
        self.assertEqual(tuple(data.images.shape), (3, 1, 2, 2))
        self.assertEqual(data.labels.tolist(), [2, 0, 9])
        self.assertEqual(data.class_names[9], "Ankle boot")
        with self.assertRaisesRegex(DatasetError, "t10k-images-idx3-ubyte"):
            load_fashion_mnist(self.dir.name, train=False)

    def test_normalisation(self):
        self.write("train-images-idx3-ubyte", IMAGES_IDX)
        self.write("train-labels-idx1-ubyte", LABELS_IDX)
        data = load_fashion_mnist(self.dir.name)
        x = data.normalized(torch.tensor([0]))
        # pixel 3 of image 0: (3 / 255 - 0.2860) / 0.3530
        self.assertAlmostEqual(float(x[0, 0, 1, 1]), (3 / 255 - 0.2860) / 0.3530, places=5)


def cifar_image(seed):
    """3072 bytes, byte k = (seed * k) mod 251."""
    return (np.arange(3072, dtype=np.int64) * seed % 251).astype(np.uint8)


class Cifar10(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.root = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def test_python_release(self):
        folder = os.path.join(self.root, "cifar-10-batches-py")
        os.mkdir(folder)
        for i, stem in enumerate([f"data_batch_{k}" for k in range(1, 6)] + ["test_batch"]):
            with open(os.path.join(folder, stem), "wb") as f:
                pickle.dump({b"data": np.stack([cifar_image(i + 1)]), b"labels": [i]}, f)
        with open(os.path.join(folder, "batches.meta"), "wb") as f:
            pickle.dump({b"label_names": [f"c{k}".encode() for k in range(10)]}, f)
        train = load_cifar10(self.root, train=True)
        self.assertEqual(tuple(train.images.shape), (5, 3, 32, 32))
        self.assertEqual(train.labels.tolist(), [0, 1, 2, 3, 4])
        # Row layout: 1024 red, 1024 green, 1024 blue, each row-major: green (1), row 2, column 5 is byte
        # 1024 + 2 * 32 + 5 = 1093 of the row; image 2 (data_batch_3) has byte k = (3 k) mod 251.
        self.assertEqual(int(train.images[2, 1, 2, 5]), (3 * 1093) % 251)
        self.assertEqual(train.class_names[3], "c3")
        self.assertEqual(load_cifar10(self.root, train=False).labels.tolist(), [5])

    def test_binary_release(self):
        for i, stem in enumerate([f"data_batch_{k}" for k in range(1, 6)] + ["test_batch"]):
            with open(os.path.join(self.root, stem + ".bin"), "wb") as f:
                f.write(bytes([i]) + cifar_image(i + 1).tobytes() + bytes([9]) + cifar_image(7).tobytes())
        with open(os.path.join(self.root, "batches.meta.txt"), "w") as f:
            f.write("\n".join(f"n{k}" for k in range(10)) + "\n\n")
        train = load_cifar10(self.root)
        self.assertEqual(train.labels.tolist(), [0, 9, 1, 9, 2, 9, 3, 9, 4, 9])
        self.assertEqual(int(train.images[1, 2, 31, 31]), (7 * 3071) % 251)  # last byte of the second record
        self.assertEqual(train.class_names, [f"n{k}" for k in range(10)])
        with open(os.path.join(self.root, "test_batch.bin"), "ab") as f:
            f.write(b"\x00")
        with self.assertRaisesRegex(DatasetError, "whole number"):
            load_cifar10(self.root, train=False)

    def test_missing_release_is_an_error(self):
        with self.assertRaisesRegex(DatasetError, "no CIFAR-10 release"):
            load_cifar10(self.root)


class Subset(unittest.TestCase):
    def test_balanced_quotas_sorted_and_seeded(self):
        labels = torch.tensor([0, 0, 0, 1, 1, 1, 2, 2, 2])
        idx = balanced_subset(labels, 5, 3, torch.Generator().manual_seed(4))
        # 5 of 3 classes: quotas 2, 2, 1 (the remainder to the lower class indices).
        self.assertEqual(torch.bincount(labels[idx], minlength=3).tolist(), [2, 2, 1])
        self.assertEqual(idx.tolist(), sorted(idx.tolist()))
        again = balanced_subset(labels, 5, 3, torch.Generator().manual_seed(4))
        self.assertEqual(idx.tolist(), again.tolist())

    def test_all_and_too_many(self):
        labels = torch.tensor([0, 1, 1])
        self.assertEqual(balanced_subset(labels, 0, 2, torch.Generator()).tolist(), [0, 1, 2])
        with self.assertRaisesRegex(DatasetError, "holds 3"):
            balanced_subset(labels, 4, 2, torch.Generator())
        # 4 of 2 classes: quotas 2, 2, but class 0 has one sample.
        with self.assertRaisesRegex(DatasetError, "quotas"):
            balanced_subset(torch.tensor([0, 1, 1, 1, 1]), 4, 2, torch.Generator())


class InstalledFashionMnist(unittest.TestCase):
    """Debian's dataset-fashion-mnist (scripts/install_deps.sh installs it)."""

    def test_sizes_and_balance(self):
        train = load_fashion_mnist(FASHION_MNIST_DIR, train=True)
        test = load_fashion_mnist(FASHION_MNIST_DIR, train=False)
        self.assertEqual(tuple(train.images.shape), (60000, 1, 28, 28))
        self.assertEqual(tuple(test.images.shape), (10000, 1, 28, 28))
        # Fashion-MNIST holds 6,000 training and 1,000 test images of each class.
        self.assertEqual(torch.bincount(train.labels).tolist(), [6000] * 10)
        self.assertEqual(torch.bincount(test.labels).tolist(), [1000] * 10)


if __name__ == "__main__":
    unittest.main()
