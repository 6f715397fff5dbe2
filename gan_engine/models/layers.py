"""Building blocks shared by the generator and the discriminator.

Both networks follow the R3GAN recipe (Huang et al. 2024, "The GAN is dead; long live the GAN!
A Modern GAN Baseline", NeurIPS): plain residual blocks, no normalisation layers, leaky ReLU,
bilinear resampling, and Fix-up style initialisation (the last layer of every residual branch
starts at zero, so every block starts as the identity; Zhang et al. 2019, "Fixup Initialization").
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

LEAK = 0.2  # leaky-ReLU slope used everywhere


def channels_at(resolution: int, size: int, width: int, max_width: int) -> int:
    """Channels at `resolution` px: `width` at the output size, doubling per halving, capped."""
    return int(min(max_width, width * size // resolution))


class ResidualBlock(nn.Module):
    """x + conv3x3(act(conv3x3(act(x)))) with the second conv zero-initialised (Fix-up)."""

    def __init__(self, channels: int, num_blocks: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)
        # Fix-up: scale the inner layer by L^(-1/2) for a branch of 2 layers (Zhang et al. 2019, eq. 3).
        nn.init.kaiming_normal_(self.conv1.weight, a=LEAK)
        with torch.no_grad():
            self.conv1.weight.mul_(num_blocks ** -0.5)
        nn.init.zeros_(self.conv1.bias)
        nn.init.zeros_(self.conv2.weight)
        nn.init.zeros_(self.conv2.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.leaky_relu(x, LEAK))
        h = self.conv2(F.leaky_relu(h, LEAK))
        return x + h


def conv1x1(cin: int, cout: int) -> nn.Conv2d:
    """1x1 convolution with He initialisation (channel change between stages)."""
    conv = nn.Conv2d(cin, cout, 1)
    nn.init.kaiming_normal_(conv.weight, a=LEAK)
    nn.init.zeros_(conv.bias)
    return conv


def linear(cin: int, cout: int, gain: float = 1.0) -> nn.Linear:
    """Linear layer with He initialisation scaled by `gain`."""
    layer = nn.Linear(cin, cout)
    nn.init.kaiming_normal_(layer.weight, a=LEAK)
    with torch.no_grad():
        layer.weight.mul_(gain)
    nn.init.zeros_(layer.bias)
    return layer


def upsample(x: torch.Tensor) -> torch.Tensor:
    """Bilinear 2x upsampling (R3GAN resamples with a smooth filter, not transposed convs)."""
    return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


def downsample(x: torch.Tensor) -> torch.Tensor:
    """2x2 average pooling, the smooth counterpart of `upsample`."""
    return F.avg_pool2d(x, 2)


def num_stages(size: int) -> int:
    """Number of 2x stages between 4x4 and `size` px."""
    stages = int(math.log2(size)) - 2
    if 4 * 2 ** stages != size:
        raise ValueError(f"size must be a power of two >= 8, got {size}")
    return stages
