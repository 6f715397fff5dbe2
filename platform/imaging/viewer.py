"""The blinded viewer contract: what anyone shown an image receives, whichever page or API serves it.

One home for the image metadata that is safe to show blinded, the rendition URLs, the series
members a user may see and the viewer's configuration. GET /api/images/<token>/ (imaging/api.py),
the image detail page (imaging/viewer_views.py) and, later, the studies app's reading page all
build on these functions, so that they cannot drift apart.

Blinded means: the same keys for a real and a synthetic image, and nothing that tells them apart or
identifies anyone — no origin, provenance, owner, collection, file names or source header.
"""
from __future__ import annotations

from django.urls import reverse

from imaging.access import viewable_images
from imaging.models import Image

# Every key of `blinded_meta`; a test holds the serializer and the viewer page to exactly these.
BLINDED_FIELDS = ("token", "width", "height", "modality", "pixel_spacing_mm", "rescale_intercept", "units",
                  "window", "window_presets")
RENDITIONS = ("master", "display", "thumb")
TOKEN_PLACEHOLDER = "__token__"  # replaced in the browser to build other images' URLs (detail_page.js)


def blinded_meta(image: Image) -> dict:
    """What a viewer needs to draw the master: size, spacing (mm), how stored values map to display
    units (HU for CT: stored + rescale_intercept) and the windows in those units."""
    return {
        "token": image.token, "width": image.width, "height": image.height, "modality": image.modality,
        "pixel_spacing_mm": image.pixel_spacing_mm, "rescale_intercept": image.rescale_intercept,
        "units": "HU" if image.is_hu else "",
        "window": {"center": image.window_center, "width": image.window_width},
        "window_presets": image.window_presets,
    }


def rendition_urls(image: Image) -> dict[str, str]:
    """{master, display, thumb, detail}: the blinded routes, by token only."""
    urls = {kind: reverse(f"imaging:{kind}", kwargs={"token": image.token}) for kind in RENDITIONS}
    urls["detail"] = reverse("imaging:detail", kwargs={"token": image.token})
    return urls


def series_members(image: Image, user) -> list[Image]:
    """The images of `image`'s series that `user` may see, in reading order (position, then id),
    in one query; `[image]` for an image in no series. `user` must be allowed to see `image`
    itself (the pages and the API answer 404 before): it is then always a member."""
    if image.series_id is None:
        return [image]
    return list(viewable_images(user, Image.objects.filter(series_id=image.series_id)).order_by("position", "id"))


def series_info(image: Image, members: list[Image]) -> dict | None:
    """{token, index, count, tokens} of the series for the API; None for an image in no series."""
    if image.series_id is None:
        return None
    tokens = [member.token for member in members]
    return {"token": image.series.token, "index": tokens.index(image.token), "count": len(tokens), "tokens": tokens}


def image_detail(image: Image, user) -> dict:
    """GET /api/images/<token>/: the blinded metadata, the rendition URLs and the series."""
    return {**blinded_meta(image), "urls": rendition_urls(image),
            "series": series_info(image, series_members(image, user))}


def viewer_config(image: Image, user, *, keep_address_on_image: bool = False) -> dict:
    """createViewer's options (static/js/viewer/index.js) for `image` among its series members.

    keep_address_on_image: the image detail page keeps the address bar on the image shown while
    scrolling (detail_page.js fills in the token)."""
    members = series_members(image, user)
    config = {
        "images": [{"masterUrl": reverse("imaging:master", kwargs={"token": member.token}), "token": member.token,
                    "meta": blinded_meta(member)} for member in members],
        "index": [member.pk for member in members].index(image.pk),
        "keyboard": "document",
        "label": f"{image.modality} image",
    }
    if keep_address_on_image:
        config["detailUrl"] = reverse("imaging:detail", kwargs={"token": TOKEN_PLACEHOLDER})
    return config
