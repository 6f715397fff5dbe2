"""Residual discriminator with projection conditioning.

D(x, y) = psi(phi(x)) + <embed(y), phi(x)>  (Miyato & Koyama 2018, "cGANs with Projection
Discriminator", ICLR, eq. 3), where phi is an R3GAN-style residual encoder without normalisation
(Huang et al. 2024) and embed(y) = class embedding + a linear map of (severity, x, y), the
continuous part zeroed for "normal" images where it carries no meaning.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from gan_engine.conditions import FINDING_CLASSES
from gan_engine.models.layers import (LEAK, ResidualBlock, channels_at, conv1x1, downsample, linear,
                                      num_stages)


class Discriminator(nn.Module):
    """D(image [N,1,S,S], finding [N], severity [N], position [N,2]) -> logits [N]."""

    def __init__(self, size: int = 64, width: int = 16, max_width: int = 128,
                 num_classes: int = len(FINDING_CLASSES)) -> None:
        super().__init__()
        stages = num_stages(size)
        cin = channels_at(size, size, width, max_width)
        self.from_image = conv1x1(1, cin)
        blocks = []
        for i in range(stages):
            res = size // 2 ** i
            cout = channels_at(res // 2, size, width, max_width)
            blocks.append(nn.ModuleDict({
                "block": ResidualBlock(cin, stages + 1),
                "proj": conv1x1(cin, cout) if cout != cin else nn.Identity(),
            }))
            cin = cout
        self.blocks = nn.ModuleList(blocks)
        self.final_block = ResidualBlock(cin, stages + 1)
        self.features = linear(cin * 16, cin)
        self.head = linear(cin, 1, gain=0.5)
        self.class_embed = nn.Embedding(num_classes, cin)
        nn.init.normal_(self.class_embed.weight, std=0.1)
        self.continuous_embed = linear(3, cin, gain=0.1)

    def forward(self, image: torch.Tensor, finding: torch.Tensor, severity: torch.Tensor,
                position: torch.Tensor) -> torch.Tensor:
        x = self.from_image(image)
        for stage in self.blocks:
            x = stage["proj"](downsample(stage["block"](x)))
        x = F.leaky_relu(self.final_block(x), LEAK)
        phi = F.leaky_relu(self.features(x.flatten(1)), LEAK)
        has_lesion = (finding != 0).to(phi.dtype).view(-1, 1)
        continuous = torch.cat([severity.view(-1, 1), position.view(-1, 2)], 1).to(phi.dtype)
        embed = self.class_embed(finding) + self.continuous_embed(continuous * has_lesion - 0.5 * has_lesion)
        return self.head(phi).squeeze(1) + (embed * phi).sum(1)
