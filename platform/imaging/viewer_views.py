"""The image detail page: the canvas viewer on one image and the rest of its series.

Anyone `can_view` admits sees the viewer; only the owner and administrators see the facts panel
(origin among them: a reader must never learn whether an image is real or synthetic)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from imaging.access import can_view
from imaging.models import Image

TOKEN_PLACEHOLDER = "__token__"  # replaced in the browser to build other images' URLs


def viewer_image(image: Image) -> dict:
    """One entry of the viewer's `images` option: the master URL and the blinded metadata that
    GET /api/images/<token>/ also serves (window values in HU for CT, stored values otherwise)."""
    return {
        "masterUrl": reverse("imaging:master", kwargs={"token": image.token}),
        "token": image.token,
        "meta": {
            "token": image.token, "width": image.width, "height": image.height, "modality": image.modality,
            "pixel_spacing_mm": image.pixel_spacing_mm, "rescale_intercept": image.rescale_intercept,
            "units": "HU" if image.is_hu else "",
            "window": {"center": image.window_center, "width": image.window_width},
            "window_presets": image.window_presets,
        },
    }


def series_members(image: Image, user) -> list[Image]:
    """The image's series in reading order, keeping only the images this user may view."""
    if image.series_id is None:
        return [image]
    members = image.series.images.order_by("position", "id").select_related("owner")
    return [m for m in members if m.pk == image.pk or can_view(user, m)]


@login_required
def image_detail(request, token: str):
    image = Image.objects.select_related("series", "owner").filter(token=token).first()
    if image is None or not can_view(request.user, image):
        raise Http404  # the same answer for "no such image" and "not yours": tokens are not probed
    members = series_members(image, request.user)
    config = {
        "images": [viewer_image(m) for m in members],
        "index": next(i for i, m in enumerate(members) if m.pk == image.pk),
        "keyboard": "document",
        "label": f"{image.modality} image",
        "detailUrl": reverse("imaging:detail", kwargs={"token": TOKEN_PLACEHOLDER}),
    }
    is_manager = image.owner_id == request.user.pk or request.user.is_admin_role
    return render(request, "imaging/image_detail.html", {
        "image": image, "viewer_config": config, "is_manager": is_manager, "series_count": len(members),
    })
