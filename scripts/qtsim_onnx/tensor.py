"""Tensor: an activation of the ONNX graph as the converter tracks it."""


class Tensor:
    """An activation: the qtsim tensor `name` of shape `shape` (C, H, W); `flat` when ONNX sees it as
    N x F. A pending option A shortcut (`stride` (h, w) > 1 or `channels` > C, from Slice/Pad node
    `origin`) becomes a shortcut_pad layer when a node other than Slice or Pad reads it."""

    def __init__(self, name, shape, flat=False, stride=(1, 1), channels=None, origin=None):
        self.name, self.shape, self.flat = name, tuple(shape), flat
        self.stride, self.channels, self.origin = tuple(stride), channels or shape[0], origin

    def pending(self):
        return self.stride != (1, 1) or self.channels != self.shape[0]

    def pending_shape(self):
        c, h, w = self.shape
        return (self.channels, -(-h // self.stride[0]), -(-w // self.stride[1]))
