"""Test-only routes for the viewer's browser tests: a page showing the viewer on the phantom series
(and on slices of the real example CT when its data files are installed). Standalone on purpose:
the viewer's tests do not depend on the rest of the project's URLs."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import path

from tests.browser.phantom import CT_OFFSET, phantom_png, png16

PAGE = """{% load static %}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Viewer test</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{% static 'css/site.css' %}"></head>
<body><main id="main">
<h1>Viewer test page</h1>
<p><label for="note">A form field (shortcuts must not fire here)</label><input type="text" id="note"></p>
{% include "imaging/viewer.html" with viewer_id="v" viewer_config=config %}
</main></body></html>"""


@lru_cache(maxsize=1)
def ct_slices() -> list[bytes]:
    """Three neighbouring lung slices of the example CT as 16-bit masters (HU + 1024)."""
    from gan_engine.data.example_ct import ExampleCTMissing, load_example_ct, lung_slice_indices

    try:
        ct = load_example_ct()
    except ExampleCTMissing as exc:
        raise Http404(str(exc)) from None
    lungs = lung_slice_indices(ct)
    middle = int(lungs[len(lungs) // 2])
    return [png16(ct.hu[z].astype(np.int32) + CT_OFFSET) for z in (middle - 1, middle, middle + 1)]


def master(request, kind: str, index: int):
    if kind == "phantom" and 0 <= index < 3:
        return HttpResponse(phantom_png(index), content_type="image/png")
    if kind == "ct" and 0 <= index < 3:
        return HttpResponse(ct_slices()[index], content_type="image/png")
    raise Http404


def page(request, kind: str):
    meta = {"modality": "CT", "default_window": {"center": 40, "width": 400}}
    if kind == "mr":  # no presets, no default window, no rescale: the viewer uses the full range
        meta, kind = {"modality": "MR"}, "phantom"
    if kind == "ct":
        meta["default_window"] = "Lung"
    config = {
        "images": [{"masterUrl": f"/__viewer-test__/{kind}/{i}.png", "token": f"{kind}-{i}", "meta": meta} for i in range(3)],
        "keyboard": "document",
        "label": f"Test {kind} series",
    }
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"config": config}, request))


urlpatterns = [
    path("__viewer-test__/<slug:kind>/", page),
    path("__viewer-test__/<slug:kind>/<int:index>.png", master),
]
