"""Quantizers of the trainer against hand-computed values (quantize.py's definitions:
s = max|x| / levels, levels = 2^(b-1) - 1 signed or 2^b - 1 unsigned, round half to even, clamp)."""
import math
import unittest

import _paths  # noqa: F401
import torch

from qtsim_trainer.quantize import (QuantConfig, channel_scale, percentile_clip, GradientRounding, QuantizeActivation, QuantizeGradient, QuantizeWeight, levels,
                                    max_abs_scale, quantize)


def values(t):
    return [float(v) for v in t]


class Levels(unittest.TestCase):
    def test_signed_and_unsigned_ranges(self):
        self.assertEqual(levels(8, True), 127)  # 2^7 - 1
        self.assertEqual(levels(8, False), 255)  # 2^8 - 1
        self.assertEqual(levels(4, True), 7)
        self.assertEqual(levels(2, True), 1)
        self.assertEqual(levels(1, False), 1)

    def test_one_bit_signed_is_rejected(self):
        with self.assertRaises(ValueError):
            levels(1, True)


class Scale(unittest.TestCase):
    def test_max_abs_over_levels(self):
        x = torch.tensor([-3.5, 1.0, 7.0])
        self.assertEqual(float(max_abs_scale(x, 4, True)), 1.0)  # 7 / 7
        # 8 bits: 7 / 127, computed in float32 (torch.tensor rounds the double the same way).
        self.assertEqual(float(max_abs_scale(x, 8, True)), float(torch.tensor(7.0 / 127.0)))
        # Negative maximum magnitude counts: max|[-6, 2]| = 6; unsigned 3 bits: 6 / 7.
        self.assertEqual(float(max_abs_scale(torch.tensor([-6.0, 2.0]), 2, True)), 6.0)  # 6 / 1
        self.assertEqual(float(max_abs_scale(torch.tensor([0.0, 7.0]), 3, False)), 1.0)  # 7 / 7


class Rounding(unittest.TestCase):
    def test_round_half_to_even_at_unit_scale(self):
        # max|x| = 7, 4 bits signed: s = 1, so codes are round(x): halves go to the even neighbour.
        x = torch.tensor([7.0, 0.5, 1.5, 2.5, -2.5, -0.5, 3.2, -3.7])
        self.assertEqual(values(quantize(x, 4)), [7.0, 0.0, 2.0, 2.0, -2.0, 0.0, 3.0, -4.0])

    def test_dequantized_values(self):
        # 3 bits signed: levels 3, s = 1 / 3; x / s = 3, 0.9, -1.35 -> codes 3, 1, -1 -> 1, 1/3, -1/3.
        out = values(quantize(torch.tensor([1.0, 0.3, -0.45]), 3))
        for got, want in zip(out, [1.0, 1.0 / 3.0, -1.0 / 3.0]):
            self.assertAlmostEqual(got, want, places=6)

    def test_unsigned_uses_all_codes(self):
        # 2 bits unsigned: levels 3, s = 0.75 / 3 = 0.25: codes 0, 1, 2.5 -> 2 (even), 3.
        out = values(quantize(torch.tensor([0.0, 0.25, 0.625, 0.75]), 2, signed=False))
        self.assertEqual(out, [0.0, 0.25, 0.5, 0.75])
        # The same tensor signed at 2 bits has only codes -1, 0, 1 (s = 0.75): 0.625 / 0.75 -> 1.
        self.assertEqual(values(quantize(torch.tensor([0.0, 0.25, 0.625, 0.75]), 2)), [0.0, 0.0, 0.75, 0.75])


class Clamping(unittest.TestCase):
    def test_given_scale_clamps_to_the_code_range(self):
        # s = 1, 4 bits: signed codes -7..7, unsigned 0..15.
        self.assertEqual(values(quantize(torch.tensor([10.0, -10.0, 3.4]), 4, scale=1.0)), [7.0, -7.0, 3.0])
        self.assertEqual(values(quantize(torch.tensor([-2.0, 20.0, 5.6]), 4, signed=False, scale=1.0)),
                         [0.0, 15.0, 6.0])
        # s = 0.5, 3 bits signed (codes -3..3): 2.0 / 0.5 = 4 -> 3 -> 1.5.
        self.assertEqual(values(quantize(torch.tensor([2.0, -0.5]), 3, scale=0.5)), [1.5, -0.5])


class Special(unittest.TestCase):
    def test_thirty_two_bits_is_fp32(self):
        x = torch.tensor([0.1, -1e-7, 123.456])
        self.assertTrue(torch.equal(quantize(x, 32), x))

    def test_all_zero_tensor_stays_zero(self):
        self.assertEqual(values(quantize(torch.zeros(3), 4)), [0.0, 0.0, 0.0])
        g = GradientRounding(True, seed=1)
        self.assertEqual(values(quantize(torch.zeros(3), 4, generator=g.generator)), [0.0, 0.0, 0.0])


class StochasticRounding(unittest.TestCase):
    N = 200000

    def test_expectation_is_the_unrounded_value(self):
        # s = 1, x = 2.3: floor(2.3 + u) is 3 when u >= 0.7 (probability 0.3), else 2; mean 2.3.
        # Standard deviation of the mean: sqrt(0.3 * 0.7 / N) = 1.02e-3 for N = 200,000; a 5 sigma
        # tolerance (5.1e-3) fails a correct implementation with probability below 1e-6, and
        # rounding to nearest (mean 2.0, off by 0.3) or a biased floor fail it by far.
        g = GradientRounding(True, seed=7).generator
        q = quantize(torch.full((self.N,), 2.3), 8, scale=1.0, generator=g)
        self.assertEqual(sorted(set(values(q.unique()))), [2.0, 3.0])
        self.assertAlmostEqual(float(q.double().mean()), 2.3, delta=5 * math.sqrt(0.21 / self.N))
        # Negative values: -1.75 -> -2 (probability 0.25) or -1 (0.75); mean -1.75, sigma sqrt(0.1875 / N).
        q = quantize(torch.full((self.N,), -1.75), 8, scale=1.0, generator=g)
        self.assertEqual(sorted(set(values(q.unique()))), [-2.0, -1.0])
        self.assertAlmostEqual(float(q.double().mean()), -1.75, delta=5 * math.sqrt(0.1875 / self.N))

    def test_exact_codes_are_kept(self):
        # x / s already whole: floor(k + u) = k for u in [0, 1).
        g = GradientRounding(True, seed=3).generator
        x = torch.tensor([7.0, -7.0, 0.0, 3.0] * 1000)
        self.assertTrue(torch.equal(quantize(x, 4, generator=g), x))

    def test_seeded_generator_reproduces(self):
        x = torch.linspace(-1, 1, 1000)
        a = quantize(x, 4, generator=GradientRounding(True, seed=5).generator)
        b = quantize(x, 4, generator=GradientRounding(True, seed=5).generator)
        c = quantize(x, 4, generator=GradientRounding(True, seed=6).generator)
        self.assertTrue(torch.equal(a, b))
        self.assertFalse(torch.equal(a, c))


class AutogradFunctions(unittest.TestCase):
    def test_activation_forward_quantizes_backward_passes_straight_through(self):
        x = torch.tensor([7.0, 2.5, -0.4], requires_grad=True)
        y = QuantizeActivation.apply(x, 4, True)  # s = 1: 7, 2, -0
        self.assertEqual(values(y), [7.0, 2.0, 0.0])
        upstream = torch.tensor([0.3, -1.0, 2.0])
        y.backward(upstream)
        self.assertTrue(torch.equal(x.grad, upstream))  # STE: the upstream gradient, unchanged

    def test_gradient_is_identity_forward_and_quantized_backward(self):
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = QuantizeGradient.apply(x, 3, GradientRounding())
        self.assertTrue(torch.equal(y, x))
        # Upstream 1, 0.3, -0.45 at 3 bits: s = 1/3, codes 3, 1, -1 -> 1, 1/3, -1/3.
        y.backward(torch.tensor([1.0, 0.3, -0.45]))
        for got, want in zip(values(x.grad), [1.0, 1.0 / 3.0, -1.0 / 3.0]):
            self.assertAlmostEqual(got, want, places=6)

    def test_weight_quantized_forward_and_weight_gradient_quantized_backward(self):
        w = torch.tensor([0.5, -1.0, 0.2], requires_grad=True)
        y = QuantizeWeight.apply(w, 2, 4, GradientRounding())
        # 2 bits signed: levels 1, s = 1: codes round(0.5) = 0 (even), -1, 0.
        self.assertEqual(values(y), [0.0, -1.0, 0.0])
        # Weight gradient at 4 bits: max 7 -> s = 1: 7, 2.5 -> 2, -3.5 -> -4.
        y.backward(torch.tensor([7.0, 2.5, -3.5]))
        self.assertEqual(values(w.grad), [7.0, 2.0, -4.0])

    def test_stochastic_gradient_rounding_uses_the_generator(self):
        x = torch.zeros(1000, requires_grad=True)
        up = torch.linspace(-1, 1, 1000)
        QuantizeGradient.apply(x, 4, GradientRounding(True, seed=9)).backward(up)
        nearest = quantize(up, 4)
        # Stochastic codes are floor or ceil of x / s, and differ from nearest somewhere.
        s = float(max_abs_scale(up, 4, True))
        self.assertTrue(bool(((x.grad / s - up / s).abs() < 1.0 + 1e-5).all()))
        self.assertFalse(torch.equal(x.grad, nearest))


class Refinements(unittest.TestCase):
    def test_percentile_clip(self):
        x = torch.arange(1.0, 1001.0)  # |x| = 1..1000, under the 65,536-element sample: every element
        # 99.9th percentile: the round(0.999 * 1000) = 999th smallest = 999; 100: the maximum.
        self.assertEqual(float(percentile_clip(x, 99.9)), 999.0)
        self.assertEqual(float(percentile_clip(-x, 50.0)), 500.0)
        self.assertEqual(float(percentile_clip(x, 100.0)), 1000.0)
        big = torch.arange(1.0, 131073.0)  # 2^17 elements: stride 2 takes 1, 3, .., 131071 (65,536 of them)
        # 99.9th of those: the round(0.999 * 65536) = round(65470.46) = 65470th = 2 * 65470 - 1 = 130939.
        self.assertEqual(float(percentile_clip(big, 99.9)), 130939.0)

    def test_per_channel_weight_scale(self):
        w = torch.tensor([[1.0, -0.5], [0.2, 0.1]])
        s = channel_scale(w, 4)  # levels 7: s = 1/7 and 0.2/7, one per output channel (row)
        self.assertEqual(tuple(s.shape), (2, 1))
        self.assertAlmostEqual(float(s[0, 0]), 1.0 / 7.0, places=7)
        self.assertAlmostEqual(float(s[1, 0]), 0.2 / 7.0, places=7)
        q = QuantizeWeight.apply(w, 4, 8, GradientRounding(), True)
        # Row 1: codes 0.2 / s = 7, 0.1 / s = 3.5 -> 4 (half to even): 0.2, 0.8 / 7. Per tensor, s = 1/7 would
        # give 0.2 * 7 = 1.4 -> 1 and 0.7 -> 1: 1/7 for both.
        self.assertAlmostEqual(float(q[1, 0]), 0.2, places=6)
        self.assertAlmostEqual(float(q[1, 1]), 0.8 / 7.0, places=6)
        self.assertAlmostEqual(float(q[0, 1]), -0.5 + 0.5 / 7.0, places=6)  # -3.5 -> -4: -4/7
        per_tensor = QuantizeWeight.apply(w, 4, 8, GradientRounding(), False)
        self.assertAlmostEqual(float(per_tensor[1, 1]), 1.0 / 7.0, places=6)

    def test_clipped_activation_and_its_straight_through_gradient(self):
        x = torch.tensor([0.5, 3.0, 1.0], requires_grad=True)
        # Unsigned 2 bits (levels 3), clip 1: s = 1/3; 0.5 -> 1.5 -> 2 (even) -> 2/3; 3.0 -> 9 -> clamped 3 -> 1.0;
        # 1.0 -> 3 -> 1.0. Gradient: 1 inside [0, 1], 0 beyond (3.0).
        y = QuantizeActivation.apply(x, 2, False, torch.tensor(1.0))
        for got, want in zip(values(y), [2.0 / 3.0, 1.0, 1.0]):
            self.assertAlmostEqual(got, want, places=6)
        y.backward(torch.tensor([1.0, 1.0, 1.0]))
        self.assertEqual(values(x.grad), [1.0, 0.0, 1.0])

    def test_config_validation_and_defaults(self):
        c = QuantConfig()
        self.assertEqual((c.weight_scale, c.act_clip_percentile, c.first_last_bits), ("channel", 99.9, 8))
        with self.assertRaisesRegex(ValueError, "expected channel or tensor"):
            QuantConfig("row")
        with self.assertRaisesRegex(ValueError, r"expected a number in \[50, 100\], got 101"):
            QuantConfig(act_clip_percentile=101)


if __name__ == "__main__":
    unittest.main()
