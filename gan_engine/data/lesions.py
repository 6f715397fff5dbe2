"""Insert a realistic pulmonary nodule into a real axial CT slice (HU).

Physical model. A CT voxel's value is the volume-weighted mean of what it contains; air is
-1000 HU and soft tissue/water about 0..+60 HU. A nodule is therefore rendered as an *occupancy*
field o(x) in [0, 1] (fraction of the voxel the lesion fills), and a voxel becomes

    HU' = HU + o(x) * f * (T - HU)

i.e. a fraction f of what was there is replaced by tissue of attenuation T:

* solid nodule:        f = 1, T ~ U(+20, +60) HU (soft tissue; non-calcified nodules measure
                       roughly +20..+60 HU unenhanced, cf. Siegelman et al., Radiology 1986;160:307
                       and the Fleischner Society glossary, Hansell et al., Radiology 2008;246:697).
* ground-glass nodule: f ~ U(0.2, 0.5), T = +20 HU, which lifts parenchyma (about -870 HU) to roughly
                       -700..-400 HU while vessels (already ~T) are unchanged and stay visible:
                       "hazy increased opacity of lung, with preservation of bronchial and vascular
                       margins" (Fleischner glossary, ground-glass opacity). Pure GGNs typically
                       measure well below soft tissue, typically about -750..-300 HU.
* part-solid nodule:   a ground-glass component of the full diameter plus a solid core of 40-60%
                       of it, slightly eccentric (Fleischner glossary, part-solid nodule; Naidich
                       et al., Radiology 2013;266:304).

The occupancy edge is a step convolved with a Gaussian point-spread function (sigma ≈ 0.6 mm,
typical of a standard reconstruction kernel), o = ½·erfc(d / (√2·σ)) with d the signed distance to
the boundary: the partial-volume blur of a real edge. Correlated Gaussian noise (σ ≈ 20 HU, measured
on the example CT's aorta) is added inside solid tissue so the lesion is not smoother than the scan.

Margins (Fleischner glossary; Lung-RADS descriptors):
* smooth:     a near-circular/oval boundary (radial harmonics 2-3, amplitude ≤ 5%).
* lobulated:  three low-frequency radial harmonics (k in 2..5, amplitudes 1-10%, random phases):
              a few broad irregular bulges, "undulating contour".
* spiculated: a mildly irregular body with 4-10 thin strands (1-2 mm at the base, tapering and
              fading, gently curved) radiating into the lung ("corona radiata").
Ground glass fades out over a wider edge (σ 0.8-1.6 mm) and is mottled (±25% on ~1.5 mm).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import ndimage as ndi
from scipy.special import erfc

from gan_engine.conditions import FINDING_CLASSES, MAX_DIAMETER_MM, MIN_DIAMETER_MM

DEFAULT_MARGIN = "smooth"

LESION_FINDINGS: tuple[str, ...] = tuple(f for f in FINDING_CLASSES if f != "normal")
MARGINS: tuple[str, ...] = ("smooth", "lobulated", "spiculated")

SOLID_HU_RANGE = (20.0, 60.0)       # solid nodule attenuation, HU (see module docstring)
GGO_FILL_RANGE = (0.2, 0.5)         # fraction of air replaced in ground glass
PART_SOLID_FILL_RANGE = (0.3, 0.55)  # the same for the ground-glass rim of part-solid nodules
GGO_TISSUE_HU = 20.0                # what fills the airspaces: fluid/cells, HU
CORE_FRACTION_RANGE = (0.4, 0.6)    # part-solid core diameter / total diameter
PSF_SIGMA_MM = 0.6                  # in-plane Gaussian PSF of a standard chest kernel, mm
GGO_EDGE_SIGMA_MM = (0.8, 1.6)      # ground glass fades out over a wider band than solid tissue
NOISE_SIGMA_HU = 20.0               # image noise of the example CT (aorta, high-pass), HU
MIN_INSIDE_FRACTION = 0.9           # share of the nodule's area that must lie inside the lung


@dataclass(frozen=True)
class InsertedLesion:
    """A slice with one nodule inserted.

    image_hu:    float32 [H, W] the new slice, HU.
    lesion_mask: bool [H, W] where the lesion occupies ≥ half a pixel; always inside the lung.
    centre_rc:   (row, col) of the nodule centre, px (pixel centres at integer coordinates).
    diameter_mm: mean diameter of the nodule body (spicules excluded), mm.
    finding:     one of LESION_FINDINGS.
    margin:      one of MARGINS.
    """

    image_hu: np.ndarray
    lesion_mask: np.ndarray
    centre_rc: tuple[float, float]
    diameter_mm: float
    finding: str
    margin: str


@dataclass(frozen=True)
class NodulePatch:
    """A rendered nodule confined to a rectangle of the slice (cheap to paste or pool).

    rows, cols:  the slice's rectangle (slice objects).
    image_hu:    float32 new HU values inside the rectangle.
    occupancy:   float32 lesion occupancy in [0, 1] inside the rectangle (0 outside the lung).
    centre_rc:   nodule centre, px, in slice coordinates.
    """

    rows: slice
    cols: slice
    image_hu: np.ndarray
    occupancy: np.ndarray
    centre_rc: tuple[float, float]


def _spacing_rc(spacing_mm: float | tuple[float, float]) -> tuple[float, float]:
    if np.ndim(spacing_mm) == 0:
        return float(spacing_mm), float(spacing_mm)  # type: ignore[arg-type]
    row, col = spacing_mm  # type: ignore[misc]
    return float(row), float(col)


def _check_args(finding: str, diameter_mm: float, margin: str) -> None:
    if finding not in LESION_FINDINGS:
        raise ValueError(f"finding must be one of {', '.join(LESION_FINDINGS)}, got {finding!r}")
    if margin not in MARGINS:
        raise ValueError(f"margin must be one of {', '.join(MARGINS)}, got {margin!r}")
    if not MIN_DIAMETER_MM <= float(diameter_mm) <= MAX_DIAMETER_MM:
        raise ValueError(
            f"diameter_mm must lie in [{MIN_DIAMETER_MM}, {MAX_DIAMETER_MM}], got {diameter_mm!r}"
        )


def _edge(signed_distance_mm: np.ndarray, sigma_mm: float = PSF_SIGMA_MM) -> np.ndarray:
    """Occupancy of a Gaussian-blurred step edge: ½·erfc(d/(√2σ)); d < 0 inside (mm)."""
    return 0.5 * erfc(signed_distance_mm / (np.sqrt(2.0) * sigma_mm))


def _radial_harmonics(margin: str, rng: np.random.Generator) -> list[tuple[int, float, float]]:
    """(k, relative amplitude, phase) of r(θ) = R·(1 + Σ a_k cos(kθ + φ_k)).

    Several harmonics of similar size with random phases give irregular bumps; a single dominant
    harmonic would draw an artificial flower.
    """
    if margin == "smooth":  # round to oval
        ks, amps = [2, 3], [rng.uniform(0.0, 0.05), rng.uniform(0.0, 0.02)]
    elif margin == "lobulated":  # 2-5 broad bulges
        ks = sorted(rng.choice([2, 3, 4, 5], size=3, replace=False).tolist())
        amps = [rng.uniform(0.05, 0.10), rng.uniform(0.03, 0.07), rng.uniform(0.02, 0.05)]
        rng.shuffle(amps)
        # higher harmonics bend the contour more sharply at equal amplitude: damp them so the
        # outline bulges rather than forming petals
        amps = [a * min(1.0, 3.0 / k) for a, k in zip(amps, ks)]
    else:  # spiculated: irregular body, spicules added separately
        ks = [2, 3, 5, 7]
        amps = [rng.uniform(0.03, 0.07), rng.uniform(0.02, 0.06), rng.uniform(0.02, 0.05),
                rng.uniform(0.01, 0.03)]
    return [(int(k), float(a), float(rng.uniform(0.0, 2.0 * np.pi))) for k, a in zip(ks, amps)]


def _body_occupancy(
    dy: np.ndarray,
    dx: np.ndarray,
    radius_mm: float,
    harmonics,
    sigma_mm: float = PSF_SIGMA_MM,
) -> np.ndarray:
    """Occupancy of a star-shaped body; dy, dx: offsets from its centre, mm."""
    rho = np.hypot(dy, dx)
    theta = np.arctan2(dy, dx)
    boundary = np.ones_like(rho)
    for k, amp, phase in harmonics:
        boundary += amp * np.cos(k * theta + phase)
    # radial distance to the boundary approximates the signed distance for near-round shapes
    return _edge(rho - radius_mm * boundary, sigma_mm)


def _spicule_occupancy(
    dy: np.ndarray, dx: np.ndarray, radius_mm: float, rng: np.random.Generator
) -> np.ndarray:
    """Thin, tapering, gently curved strands radiating from the body (mm offsets in).

    Each strand is 1-2 mm wide at its base and tapers to ~0.3 mm; its occupancy also fades
    towards the tip (a thin oblique strand fills less of a 2.5 mm thick slice).
    """
    count = int(np.clip(round(rng.uniform(0.25, 0.6) * radius_mm), 4, 10))
    angles = rng.uniform(0.0, 2.0 * np.pi, count)
    out = np.zeros_like(dy)
    for angle in angles:
        length = min(rng.uniform(0.2, 1.1) * radius_mm + 1.5, 14.0)
        base_width = rng.uniform(1.0, 2.0)
        bend = rng.uniform(-0.35, 0.35)   # radians per segment: not ruler-straight
        direction = angle
        point = np.array([np.sin(angle), np.cos(angle)]) * (0.85 * radius_mm)
        widths = base_width * np.array([1.0, 0.55, 0.3, 0.18])
        fades = np.array([1.0, 0.85, 0.65, 0.45])
        for j in range(3):
            direction += bend
            nxt = point + np.array([np.sin(direction), np.cos(direction)]) * (length / 3.0)
            seg = nxt - point
            t = np.clip(((dy - point[0]) * seg[0] + (dx - point[1]) * seg[1]) / float(seg @ seg),
                        0.0, 1.0)
            dist = np.hypot(dy - (point[0] + t * seg[0]), dx - (point[1] + t * seg[1]))
            half_width = 0.5 * (widths[j] + t * (widths[j + 1] - widths[j]))
            fade = fades[j] + t * (fades[j + 1] - fades[j])
            out = np.maximum(out, fade * _edge(dist - half_width))
            point = nxt
    return out


def _correlated_noise(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Gaussian noise, σ = NOISE_SIGMA_HU, with the short correlation of reconstructed CT noise."""
    white = rng.standard_normal(shape)
    smooth = ndi.gaussian_filter(white, 0.7, mode="reflect")
    return (smooth * (NOISE_SIGMA_HU / max(float(smooth.std()), 1e-6))).astype(np.float32)


def lung_distance_mm(lung_mask: np.ndarray, spacing_mm: float | tuple[float, float]) -> np.ndarray:
    """Distance (mm) from each lung pixel to the nearest non-lung pixel; 0 outside the lung."""
    return ndi.distance_transform_edt(lung_mask, sampling=_spacing_rc(spacing_mm)).astype(np.float32)


def _extent_mm(diameter_mm: float, margin: str) -> float:
    """Radius (mm) of the square that holds the whole lesion including blur and spicules."""
    radius = diameter_mm / 2.0
    reach = radius * 1.25 + (min(1.1 * radius + 1.5, 14.0) + 1.0 if margin == "spiculated" else 0.0)
    return reach + 4.0 * GGO_EDGE_SIGMA_MM[1]


def render_nodule(
    hu_slice: np.ndarray,
    lung_mask: np.ndarray,
    spacing_mm: float | tuple[float, float],
    *,
    finding: str,
    diameter_mm: float,
    centre_rc: tuple[float, float] | None = None,
    margin: str = DEFAULT_MARGIN,
    rng: np.random.Generator,
    distance_mm: np.ndarray | None = None,
) -> NodulePatch:
    """Render a nodule on the rectangle of `hu_slice` it touches (`insert_nodule` pastes it in).

    hu_slice:    [H, W] Hounsfield units (not modified).
    lung_mask:   [H, W] bool, the lung; the lesion never extends outside it.
    spacing_mm:  pixel size in mm, a float or (row, col).
    finding:     "solid_nodule", "part_solid_nodule" or "ground_glass_nodule".
    diameter_mm: mean diameter of the nodule body, 4-30 mm (spicules extend beyond it).
    centre_rc:   (row, col) px; must lie in the lung. None: sampled so that ≥ 90% of the body's area
                 lies inside the lung (the rest, at the pleura, is clipped).
    margin:      "smooth", "lobulated" or "spiculated".
    rng:         all randomness comes from it: equal generator states give equal results.
    distance_mm: optional precomputed `lung_distance_mm(lung_mask, spacing_mm)` (saves ~10 ms).
    Raises ValueError when the nodule cannot fit in this slice's lung.

    HU model and references: see the module docstring.
    """
    _check_args(finding, diameter_mm, margin)
    lung_mask = np.asarray(lung_mask, dtype=bool)
    if hu_slice.shape != lung_mask.shape or hu_slice.ndim != 2:
        raise ValueError(f"hu_slice {hu_slice.shape} and lung_mask {lung_mask.shape} must be equal 2D")
    sy, sx = _spacing_rc(spacing_mm)
    radius = float(diameter_mm) / 2.0
    harmonics = _radial_harmonics(margin, rng)
    extent = _extent_mm(diameter_mm, margin)
    half_h, half_w = int(np.ceil(extent / sy)), int(np.ceil(extent / sx))
    height, width = hu_slice.shape

    def geometry(cr: float, cc: float):
        r0, r1 = max(int(cr) - half_h, 0), min(int(cr) + half_h + 2, height)
        c0, c1 = max(int(cc) - half_w, 0), min(int(cc) + half_w + 2, width)
        dy = (np.arange(r0, r1, dtype=np.float64)[:, None] - cr) * sy
        dx = (np.arange(c0, c1, dtype=np.float64)[None, :] - cc) * sx
        dy, dx = np.broadcast_to(dy, (r1 - r0, c1 - c0)), np.broadcast_to(dx, (r1 - r0, c1 - c0))
        return slice(r0, r1), slice(c0, c1), dy, dx

    def inside_fraction(rows, cols, body) -> float:
        total = float(body.sum())
        return float((body * lung_mask[rows, cols]).sum()) / total if total > 0 else 0.0

    if centre_rc is not None:
        cr, cc = float(centre_rc[0]), float(centre_rc[1])
        ir, ic = int(round(cr)), int(round(cc))
        if not (0 <= ir < height and 0 <= ic < width and lung_mask[ir, ic]):
            raise ValueError(f"centre_rc {centre_rc!r} is not inside the lung mask")
        rows, cols, dy, dx = geometry(cr, cc)
        body = _body_occupancy(dy, dx, radius, harmonics)
    else:
        if distance_mm is None:
            distance_mm = lung_distance_mm(lung_mask, (sy, sx))
        # A centre ≥ 0.85 R from the pleura leaves ≤ ~4% of a disk outside a straight boundary;
        # the exact share is then checked on the rendered body (concave boundaries differ).
        candidates = np.flatnonzero(distance_mm.ravel() >= 0.85 * radius)
        found = None
        for _ in range(12):
            if candidates.size == 0:
                break
            index = int(candidates[rng.integers(candidates.size)])
            cr = index // width + rng.uniform(-0.5, 0.5)
            cc = index % width + rng.uniform(-0.5, 0.5)
            rows, cols, dy, dx = geometry(cr, cc)
            body = _body_occupancy(dy, dx, radius, harmonics)
            if inside_fraction(rows, cols, body) >= MIN_INSIDE_FRACTION:
                found = (cr, cc, rows, cols, dy, dx, body)
                break
        if found is None:  # fall back to the deepest point of the lung
            index = int(np.argmax(distance_mm))
            cr, cc = float(index // width), float(index % width)
            rows, cols, dy, dx = geometry(cr, cc)
            body = _body_occupancy(dy, dx, radius, harmonics)
            if inside_fraction(rows, cols, body) < MIN_INSIDE_FRACTION:
                raise ValueError(
                    f"a {diameter_mm:.1f} mm nodule does not fit in this slice's lung "
                    f"(deepest point {float(distance_mm.max()):.1f} mm from the pleura)"
                )
        else:
            cr, cc, rows, cols, dy, dx, body = found

    lung = lung_mask[rows, cols].astype(np.float64)
    if margin == "spiculated":
        strands = _spicule_occupancy(dy, dx, radius, rng)
    else:
        strands = np.zeros_like(body)

    # fill: fraction f of the voxel content replaced by tissue; target: that tissue's HU
    fill = np.zeros_like(body)
    solid = np.zeros_like(body)
    if finding == "solid_nodule":
        solid = np.maximum(body, strands)
    else:
        # a part-solid nodule's ground glass is the denser end of the range, else a small one
        # shows only its core
        ggo_fill = rng.uniform(*(PART_SOLID_FILL_RANGE if finding == "part_solid_nodule"
                                 else GGO_FILL_RANGE))
        # ground glass has a hazier edge than solid tissue, and a mottled texture (±25% on a
        # ~1.5 mm scale); both keep it from looking like a uniform grey disc
        haze = _body_occupancy(dy, dx, radius, harmonics, rng.uniform(*GGO_EDGE_SIGMA_MM))
        texture = ndi.gaussian_filter(rng.standard_normal(body.shape), 1.5 / sy, mode="reflect")
        texture *= 0.25 / max(float(texture.std()), 1e-6)
        fill = haze * np.clip(ggo_fill * (1.0 + texture), 0.05, 0.9)
        if finding == "ground_glass_nodule":
            fill = np.maximum(fill, strands * ggo_fill)
        else:  # part-solid: solid core, slightly eccentric; spicules are thin, fainter strands
            core_radius = radius * rng.uniform(*CORE_FRACTION_RANGE)
            shift = rng.uniform(0.0, 0.15 * radius)
            angle = rng.uniform(0.0, 2.0 * np.pi)
            core = _body_occupancy(
                dy - shift * np.sin(angle), dx - shift * np.cos(angle), core_radius,
                _radial_harmonics("lobulated" if margin != "smooth" else "smooth", rng),
            )
            solid = np.maximum(core, 0.6 * strands)
    solid *= lung
    fill *= lung

    original = hu_slice[rows, cols].astype(np.float64)
    solid_hu = rng.uniform(*SOLID_HU_RANGE) + _correlated_noise(body.shape, rng)
    image = original + fill * (GGO_TISSUE_HU - original)
    image = image + solid * (solid_hu - image)
    # a little extra noise in the haze: blending otherwise damps the scan's own noise there
    image += fill * 0.5 * _correlated_noise(body.shape, rng)
    occupancy = np.maximum(np.maximum(body, strands) * lung, solid)
    return NodulePatch(
        rows=rows,
        cols=cols,
        image_hu=image.astype(np.float32),
        occupancy=occupancy.astype(np.float32),
        centre_rc=(float(cr), float(cc)),
    )


def insert_nodule(hu_slice: np.ndarray, lung_mask: np.ndarray, spacing_mm: float | tuple[float, float],
                  **render_args: Any) -> InsertedLesion:
    """Insert one pulmonary nodule into an axial CT slice: `render_nodule`'s patch pasted into a
    copy of `hu_slice`, with the lesion mask. Arguments as `render_nodule`'s."""
    patch = render_nodule(hu_slice, lung_mask, spacing_mm, **render_args)
    image = np.array(hu_slice, dtype=np.float32, copy=True)
    image[patch.rows, patch.cols] = patch.image_hu
    mask = np.zeros(hu_slice.shape, dtype=bool)
    mask[patch.rows, patch.cols] = patch.occupancy >= 0.5
    return InsertedLesion(
        image_hu=image,
        lesion_mask=mask,
        centre_rc=patch.centre_rc,
        diameter_mm=float(render_args["diameter_mm"]),
        finding=render_args["finding"],
        margin=render_args.get("margin", DEFAULT_MARGIN),
    )
