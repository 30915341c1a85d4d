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

Default refinements (QuantConfig; each switchable on the command line, scripts/README_trainer.md):
  - weights: one max-abs scale per output channel (`--weight-scale channel`; `tensor`: one per tensor);
  - activations: clipped at a percentile p of |x| (`--act-clip-percentile`, default 99.9; 100 = max-abs,
    no clipping), estimated from at most 65,536 elements taken at a fixed stride (no random numbers);
    elements beyond the clip get zero gradient (the clipped straight-through estimator);
  - the first and last GEMM layers run at >= `--first-last-bits` (default 8) activation and weight bits.
Gradients keep the per-tensor max-abs scale (clipping gradients biases them).

Autograd functions (how a conv/FC layer of one precision group uses them, docs/training_lowering.md):
  QuantizeActivation  forward: the layer input to bA (optionally clipped); backward: STE (identity
                      inside the clip range, 0 outside)
  QuantizeWeight      forward: the weights to bW (per tensor or per output channel); backward: STE,
                      and the weight gradient to bG
  QuantizeGradient    forward: identity (on the layer output); backward: the output gradient to bG
"""

import torch

FP32_BITS = 32
PERCENTILE_SAMPLES = 1 << 16


class QuantConfig:
    """The quantizer choices of a run (module docstring): weight scale granularity, activation
    clipping percentile, and the minimum bits of the first and last GEMM layers (0 = none)."""

    def __init__(self, weight_scale="channel", act_clip_percentile=99.9, first_last_bits=8):
        if weight_scale not in ("channel", "tensor"):
            raise ValueError(f"weight scale: expected channel or tensor, got {weight_scale!r}")
        if not 50.0 <= act_clip_percentile <= 100.0:
            raise ValueError(f"activation clip percentile: expected a number in [50, 100], got {act_clip_percentile}")
        self.weight_scale, self.act_clip_percentile, self.first_last_bits = (weight_scale, act_clip_percentile,
                                                                             first_last_bits)

    def describe(self):
        return {"weight_scale": self.weight_scale, "act_clip_percentile": self.act_clip_percentile,
                "first_last_bits": self.first_last_bits, "grad_scale": "tensor max-abs",
                "rounding": "half to even (forward); gradients per --grad-rounding"}


LEGACY = QuantConfig("tensor", 100.0, 0)  # the quantizer before issue 16: per-tensor max-abs everywhere


def percentile_clip(x, percentile):
    """The `percentile`-th percentile of |x| (0-dim tensor), over at most PERCENTILE_SAMPLES elements
    taken at a fixed stride; max|x| when percentile is 100."""
    a = x.detach().flatten().abs()
    if percentile >= 100.0:
        return a.max()
    step = max(1, a.numel() // PERCENTILE_SAMPLES)
    sample = a[::step]
    k = min(sample.numel(), max(1, round(percentile / 100.0 * sample.numel())))  # the nearest rank
    if sample.is_cuda:  # torch has no deterministic CUDA kthvalue; the k-th smallest value is the same
        return torch.sort(sample).values[k - 1]
    return sample.kthvalue(k).values


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


def channel_scale(w, bits):
    """Per output channel (dim 0) s_o = max|w[o]| / levels, shaped to broadcast against w."""
    flat = w.detach().abs().reshape(w.shape[0], -1).max(dim=1).values
    return (flat / levels(bits, True)).reshape((-1,) + (1,) * (w.dim() - 1))


def quantize(x, bits, signed=True, scale=None, generator=None):
    """x_hat = clamp(round(x / s)) * s (see the module docstring); `generator` selects stochastic rounding."""
    if bits >= FP32_BITS:
        return x
    top = levels(bits, signed)
    if scale is None:
        scale = max_abs_scale(x, bits, signed)
    scale = torch.as_tensor(scale, dtype=x.dtype, device=x.device)
    # An all-zero tensor (or channel) has s = 0: divide by 1 instead (its codes are 0 either way), no host sync.
    y = x / torch.where(scale > 0, scale, torch.ones_like(scale))
    if generator is None:
        q = torch.round(y)
    else:
        q = torch.floor(y + torch.rand(y.shape, generator=generator, dtype=y.dtype, device=y.device))
    q = torch.clamp(q, -top if signed else 0, top)
    return q * scale


class QuantizeActivation(torch.autograd.Function):
    """Forward: x to `bits` (signed or unsigned), clipped at `clip` (a 0-dim tensor; None: max-abs, no
    clipping); backward: straight-through inside [-clip, clip] (or [0, clip]), zero outside."""

    @staticmethod
    def forward(ctx, x, bits, signed, clip=None):
        if bits >= FP32_BITS or clip is None:
            ctx.mask = None
            return quantize(x, bits, signed)
        ctx.mask = (x.abs() <= clip) if signed else (x <= clip)
        return quantize(x, bits, signed, scale=clip / levels(bits, signed))

    @staticmethod
    def backward(ctx, grad):
        if ctx.mask is not None:
            grad = grad * ctx.mask
        return grad, None, None, None


class QuantizeWeight(torch.autograd.Function):
    """Forward: w to `weight_bits` (signed); backward: straight-through, the gradient to `grad_bits`."""

    @staticmethod
    def forward(ctx, w, weight_bits, grad_bits, rounding, per_channel=False):
        ctx.grad_bits = grad_bits
        ctx.rounding = rounding
        if per_channel and weight_bits < FP32_BITS:
            return quantize(w, weight_bits, True, scale=channel_scale(w, weight_bits))
        return quantize(w, weight_bits, True)

    @staticmethod
    def backward(ctx, grad):
        return quantize(grad, ctx.grad_bits, True, generator=ctx.rounding.generator), None, None, None, None


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
