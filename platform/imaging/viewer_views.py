"""The image detail page: the canvas viewer on one image and the rest of its series.

Anyone `Image.objects.for_user` admits sees the viewer (imaging/viewer.py builds its blinded
config); only those who manage the image (owner, administrators) see the facts panel, origin
among them: a reader must never learn whether an image is real or synthetic."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.ownership import get_owned_or_404
from imaging.models import Image
from imaging.viewer import viewer_config


@login_required
def image_detail(request, token: str):
    # the same 404 for "no such image" and "not yours": tokens are not probed
    image = get_owned_or_404(Image.objects.select_related("series", "collection"), request.user, token=token)
    config = viewer_config(image, request.user, keep_address_on_image=True)
    return render(request, "imaging/image_detail.html", {
        "image": image, "viewer_config": config, "series_count": len(config["images"]),
        "is_manager": Image.objects.owned_by_user(request.user).filter(pk=image.pk).exists(),
    })
