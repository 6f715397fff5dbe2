"""DiffAugment: differentiable augmentation applied to both real and generated images.

Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN Training" (NeurIPS): the
same random translation, cutout and colour (here: brightness/contrast) transforms are applied to
every image the discriminator sees, real or fake, and gradients flow through them to G. This stops
D from memorising a small training set without leaking the augmentation into G's output.

No flips or rotations: chest laterality (heart on the patient's left) is anatomy, not noise.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

# Milder than the paper's +/-0.5 brightness and [0.5, 1.5] contrast: CT values are absolute (HU), so a
# large global shift would hide the very intensity cues (nodule vs. lung) the model should learn.
BRIGHTNESS = 0.2   # additive shift, uniform in [-b, b], on the [-1, 1] scale
CONTRAST = 0.25    # multiplicative factor around the image mean, uniform in [1 - c, 1 + c]


def diff_augment(x: torch.Tensor, generator: torch.Generator | None = None, *, p: float = 1.0,
                 translation: float = 0.0625, cutout: float = 0.25) -> torch.Tensor:
    """Brightness/contrast, integer translation (air-padded) and cutout on x [N,C,H,W] in [-1, 1].

    translation: max shift as a fraction of the side (px = round(fraction * side)).
    cutout: side of the zeroed square as a fraction of the image side.
    p: probability that each transform is applied to each image.
    Differentiable with respect to x. `generator` makes the draw reproducible.
    """
    n, _, h, w = x.shape
    dev, dt = x.device, x.dtype

    def rand(*shape: int) -> torch.Tensor:
        return torch.rand(*shape, generator=generator, device=generator.device if generator else dev).to(dev)

    def applied() -> torch.Tensor:
        return (rand(n, 1, 1, 1) < p).to(dt)

    # brightness and contrast
    shift = (rand(n, 1, 1, 1) * 2 - 1).to(dt) * BRIGHTNESS * applied()
    x = x + shift
    factor = 1 + (rand(n, 1, 1, 1) * 2 - 1).to(dt) * CONTRAST * applied()
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - mean) * factor + mean

    # translation by whole pixels; the border is filled with air (-1), not mid-grey
    if translation > 0:
        max_shift = int(round(translation * h))
        on = applied().view(n, 1)
        shifts = ((rand(n, 2) * (2 * max_shift + 1)).floor() - max_shift) * on
        sy = shifts[:, 0].long().view(n, 1)
        sx = shifts[:, 1].long().view(n, 1)
        rows = (torch.arange(h, device=dev).view(1, h) - sy + 1).clamp(0, h + 1)
        cols = (torch.arange(w, device=dev).view(1, w) - sx + 1).clamp(0, w + 1)
        padded = F.pad(x + 1, [1, 1, 1, 1])
        batch = torch.arange(n, device=dev).view(n, 1, 1)
        x = padded.permute(0, 2, 3, 1)[batch, rows.view(n, h, 1), cols.view(n, 1, w)].permute(0, 3, 1, 2) - 1

    # cutout: one square per image set to 0 (mid-grey), as in the paper
    if cutout > 0:
        ch, cw = int(round(cutout * h)), int(round(cutout * w))
        on = applied().view(n, 1, 1)
        cy = (rand(n, 1) * (h + 1 - ch % 2)).floor().view(n, 1, 1)
        cx = (rand(n, 1) * (w + 1 - cw % 2)).floor().view(n, 1, 1)
        ys = torch.arange(h, device=dev).view(1, h, 1)
        xs = torch.arange(w, device=dev).view(1, 1, w)
        inside = ((ys - cy).abs() < ch / 2) & ((xs - cx).abs() < cw / 2)
        keep = 1 - inside.to(dt) * on
        x = x * keep.unsqueeze(1)
    return x
