"""Layered conditional generator: anatomy(z) composited with lesion(z, class, severity, position).

    image = anatomy * (1 - alpha) + lesion * alpha

* The anatomy branch sees only the patient latent z, so a fixed z is a fixed "patient": every
  frame of a progression series is identical outside the lesion region by construction.
* The lesion branch draws the nodule's appearance (intensity, texture, internal opacity) from
  (z, lesion latent, class, severity); its support is a soft disc of the diameter given by
  severity (conditions.severity_to_diameter_mm and the pixel spacing) at the given position,
  perturbed by a learned, severity-independent outline, so lesion area grows with severity.
* "normal" gives alpha = 0 exactly.

The residual decoder follows R3GAN (Huang et al. 2024): no normalisation, Fix-up init, bilinear
upsampling. The design is discussed in docs/engine.md.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from gan_engine.conditions import FINDING_CLASSES
from gan_engine.models import lesion as geometry
from gan_engine.models.layers import (LEAK, ResidualBlock, channels_at, conv1x1, linear,
                                      num_stages, upsample)

# Initial lesion intensity in the [-1, 1] image scale: about +40 HU (soft tissue) in the
# default HU window (-1024..600), so an untrained lesion already looks like a nodule, not a hole.
SOFT_TISSUE_UNIT = 0.31


@dataclass
class GeneratorOutput:
    """Composite image and its layers, all [N,1,H,W]; `support` is the nodule's soft disc."""

    image: torch.Tensor
    anatomy: torch.Tensor
    lesion: torch.Tensor
    alpha: torch.Tensor
    support: torch.Tensor


class AnatomyBranch(nn.Module):
    """z -> 4x4 -> residual stages with 2x bilinear upsampling -> 1-channel image (unbounded)."""

    def __init__(self, size: int, z_dim: int, width: int, max_width: int) -> None:
        super().__init__()
        stages = num_stages(size)
        hidden = max(128, 2 * z_dim)
        self.mapping = nn.Sequential(linear(z_dim, hidden), nn.LeakyReLU(LEAK), linear(hidden, hidden),
                                     nn.LeakyReLU(LEAK))
        c4 = channels_at(4, size, width, max_width)
        self.c4 = c4
        self.start = linear(hidden, c4 * 16)
        blocks: list[nn.Module] = [ResidualBlock(c4, stages + 1)]
        cin = c4
        for i in range(1, stages + 1):
            cout = channels_at(4 * 2 ** i, size, width, max_width)
            blocks.append(nn.ModuleDict({
                "proj": conv1x1(cin, cout) if cout != cin else nn.Identity(),
                "block": ResidualBlock(cout, stages + 1),
            }))
            cin = cout
        self.blocks = nn.ModuleList(blocks)
        self.to_image = nn.Conv2d(cin, 1, 1)
        nn.init.normal_(self.to_image.weight, std=0.1 / cin ** 0.5)
        nn.init.constant_(self.to_image.bias, -0.3)  # roughly the mean chest CT value on [-1, 1]

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.start(self.mapping(z)).view(-1, self.c4, 4, 4)
        x = self.blocks[0](x)
        for stage in self.blocks[1:]:
            x = stage["block"](stage["proj"](upsample(x)))
        return self.to_image(F.leaky_relu(x, LEAK))


class LesionBranch(nn.Module):
    """Per-pixel nodule appearance on a polar grid around the given centre, plus its outline."""

    def __init__(self, z_dim: int, lesion_z_dim: int, cond_dim: int, width: int, harmonics: int,
                 num_classes: int) -> None:
        super().__init__()
        self.class_embed = nn.Embedding(num_classes, cond_dim)
        nn.init.normal_(self.class_embed.weight, std=1.0)
        self.severity_embed = linear(1, cond_dim)
        hidden = 64
        # Shape code: lesion latent + class only (never severity) so the outline is scale-free.
        self.shape_code = nn.Sequential(linear(lesion_z_dim + cond_dim, hidden), nn.LeakyReLU(LEAK))
        self.outline = linear(hidden, 2 * harmonics, gain=0.3)
        # Appearance code: patient + lesion latent + class + severity.
        self.appearance_code = nn.Sequential(linear(z_dim + lesion_z_dim + 2 * cond_dim, hidden),
                                             nn.LeakyReLU(LEAK))
        # Opacity profile: a function of normalised radius and angle only, so it scales with size.
        self.opacity_geom = conv1x1(3, width)
        self.opacity_bias = linear(hidden, width)
        self.opacity_out = nn.Conv2d(width, 1, 1)
        nn.init.zeros_(self.opacity_out.weight)
        nn.init.constant_(self.opacity_out.bias, 2.0)  # starts nearly opaque
        # Intensity: per-pixel MLP then one 3x3 residual block for texture.
        self.intensity_geom = conv1x1(3, width)
        self.intensity_bias = linear(hidden, width)
        self.intensity_block = ResidualBlock(width)
        self.intensity_out = nn.Conv2d(width, 1, 1)
        nn.init.zeros_(self.intensity_out.weight)
        nn.init.constant_(self.intensity_out.bias, SOFT_TISSUE_UNIT)

    def forward(self, z: torch.Tensor, lesion_z: torch.Tensor, finding: torch.Tensor,
                severity: torch.Tensor, position: torch.Tensor, radius: torch.Tensor, size: int,
                max_perturbation: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        cls = self.class_embed(finding)
        sev = self.severity_embed(severity.view(-1, 1))
        shape_code = self.shape_code(torch.cat([lesion_z, cls], 1))
        appearance = self.appearance_code(torch.cat([z, lesion_z, cls, sev], 1))

        distance, angle = geometry.polar_grid(position, size)
        factor = geometry.outline_factor(self.outline(shape_code), angle, max_perturbation)
        support = geometry.support_mask(distance, radius, factor)
        rho = (distance / (radius.view(-1, 1, 1, 1) * factor)).clamp(max=4.0)
        geom = torch.cat([rho, torch.cos(angle), torch.sin(angle)], 1)

        h = self.opacity_geom(geom) + self.opacity_bias(shape_code)[:, :, None, None]
        opacity = torch.sigmoid(self.opacity_out(F.leaky_relu(h, LEAK)))
        h = self.intensity_geom(geom) + self.intensity_bias(appearance)[:, :, None, None]
        h = self.intensity_block(F.leaky_relu(h, LEAK))
        intensity = self.intensity_out(F.leaky_relu(h, LEAK))
        return intensity, support * opacity, support


class Generator(nn.Module):
    """G(latent, finding, severity, position[, spacing]) -> GeneratorOutput with image [N,1,S,S].

    latent: [N, z_dim + lesion_z_dim] standard normal; the first z_dim entries are the patient.
    finding: int64 [N] index into FINDING_CLASSES; severity: [N] in [0, 1];
    position: [N, 2] (x, y) fractions; spacing_mm: [N] mm/px (default: the checkpoint's spacing).
    """

    def __init__(self, size: int = 64, z_dim: int = 64, lesion_z_dim: int = 16, cond_dim: int = 32,
                 width: int = 16, max_width: int = 128, lesion_width: int = 16,
                 shape_harmonics: int = 3, max_shape_perturbation: float = 0.25,
                 pixel_spacing_mm: float = 5.5, num_classes: int = len(FINDING_CLASSES)) -> None:
        super().__init__()
        self.size = size
        self.z_dim = z_dim
        self.lesion_z_dim = lesion_z_dim
        self.max_shape_perturbation = max_shape_perturbation
        self.register_buffer("pixel_spacing_mm", torch.tensor(float(pixel_spacing_mm)))
        self.anatomy = AnatomyBranch(size, z_dim, width, max_width)
        self.lesion = LesionBranch(z_dim, lesion_z_dim, cond_dim, lesion_width, shape_harmonics,
                                   num_classes)

    @property
    def latent_dim(self) -> int:
        return self.z_dim + self.lesion_z_dim

    def forward(self, latent: torch.Tensor, finding: torch.Tensor, severity: torch.Tensor,
                position: torch.Tensor, spacing_mm: torch.Tensor | None = None) -> GeneratorOutput:
        z, lesion_z = latent[:, :self.z_dim], latent[:, self.z_dim:]
        if spacing_mm is None:
            spacing_mm = self.pixel_spacing_mm.expand(latent.shape[0])
        anatomy = self.anatomy(z)
        radius = geometry.radius_px(severity.float(), spacing_mm.float())
        lesion, alpha, support = self.lesion(z, lesion_z, finding, severity.float(), position.float(),
                                             radius, self.size, self.max_shape_perturbation)
        has_lesion = (finding != 0).to(alpha.dtype).view(-1, 1, 1, 1)
        alpha = alpha * has_lesion
        support = support * has_lesion
        image = anatomy * (1 - alpha) + lesion * alpha
        return GeneratorOutput(image=image, anatomy=anatomy, lesion=lesion, alpha=alpha, support=support)
