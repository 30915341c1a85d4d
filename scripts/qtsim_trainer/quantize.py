"""Fake quantizers and the autograd functions of quantization-aware training.

Quantizer (symmetric, linear, per tensor, scale from the maximum magnitude):

    levels = 2^(b-1) - 1   (signed: codes -levels..levels; -2^(b-1) is unused)
           = 2^b - 1       (unsigned: codes 0..levels, for tensors known to be >= 0)
    s      = max|x| / levels               (the whole tensor; 0 when x is all zeros)
    q      = clamp(round(x / s), lo, levels),  lo = -levels (signed) or 0 (unsigned)
    x_hat  = q * s

`round` is round-half-to-even (torch.round); stochastic rounding is floor(x/s + u),
u ~ U[0, 1) from a seeded torch.Generator, whose expectation is x/s. b = 32 means FP32: the
tensor passes unchanged (float32 cannot hold 32-bit integer codes anyway). With the max-abs
scale nothing is clipped, so the straight-through estimator (STE) passes gradients through
unchanged; `clamp` matters only when a caller supplies its own scale.

Autograd functions (how a conv/FC layer of one precision group uses them, docs/training_lowering.md):
  QuantizeActivation  forward: the layer input to bA; backward: STE (identity)
  QuantizeWeight      forward: the weights to bW;    backward: STE, and the weight gradient to bG
  QuantizeGradient    forward: identity (on the layer output); backward: the output gradient to bG
"""
import torch

FP32_BITS = 32


class GradientRounding:
    """How gradients are rounded: to nearest (generator None) or stochastically from a seeded generator."""

    def __init__(self, stochastic=False, seed=0, device="cpu"):
        self.stochastic = stochastic
        self.generator = None
        if stochastic:
            self.generator = torch.Generator(device=device)
            self.generator.manual_seed(seed)

    @property
    def name(self):
        return "stochastic" if self.stochastic else "nearest"


def levels(bits, signed):
    """The largest code: 2^(b-1) - 1 signed, 2^b - 1 unsigned."""
    if signed and bits < 2:
        raise ValueError(f"signed quantization needs at least 2 bits, got {bits}")
    if bits < 1:
        raise ValueError(f"quantization needs at least 1 bit, got {bits}")
    return (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1


def max_abs_scale(x, bits, signed):
    """s = max|x| / levels, a 0-dim tensor (0 for an all-zero tensor)."""
    return x.detach().abs().max() / levels(bits, signed)


def quantize(x, bits, signed=True, scale=None, generator=None):
    """x_hat = clamp(round(x / s)) * s (see the module docstring); `generator` selects stochastic rounding."""
    if bits >= FP32_BITS:
        return x
    top = levels(bits, signed)
    if scale is None:
        scale = max_abs_scale(x, bits, signed)
    scale = torch.as_tensor(scale, dtype=x.dtype, device=x.device)
    # An all-zero tensor has s = 0: divide by 1 instead (its codes are 0 either way), no host sync.
    y = x / torch.where(scale > 0, scale, torch.ones_like(scale))
    if generator is None:
        q = torch.round(y)
    else:
        q = torch.floor(y + torch.rand(y.shape, generator=generator, dtype=y.dtype, device=y.device))
    q = torch.clamp(q, -top if signed else 0, top)
    return q * scale


class QuantizeActivation(torch.autograd.Function):
    """Forward: x to `bits` (signed or unsigned); backward: straight-through."""

    @staticmethod
    def forward(ctx, x, bits, signed):
        return quantize(x, bits, signed)

    @staticmethod
    def backward(ctx, grad):
        return grad, None, None


class QuantizeWeight(torch.autograd.Function):
    """Forward: w to `weight_bits` (signed); backward: straight-through, the gradient to `grad_bits`."""

    @staticmethod
    def forward(ctx, w, weight_bits, grad_bits, rounding):
        ctx.grad_bits = grad_bits
        ctx.rounding = rounding
        return quantize(w, weight_bits, True)

    @staticmethod
    def backward(ctx, grad):
        return quantize(grad, ctx.grad_bits, True, generator=ctx.rounding.generator), None, None, None


class QuantizeGradient(torch.autograd.Function):
    """Forward: identity; backward: the gradient to `grad_bits` (signed)."""

    @staticmethod
    def forward(ctx, x, grad_bits, rounding):
        ctx.grad_bits = grad_bits
        ctx.rounding = rounding
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return quantize(grad, ctx.grad_bits, True, generator=ctx.rounding.generator), None, None
