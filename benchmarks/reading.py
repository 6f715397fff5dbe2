"""Reading speed: the rating request against a bare Django view, and rating key → next image painted.

    nice -n 5 .venv/bin/python benchmarks/reading.py                 # embedded SQLite, writes docs/benchmarks.md
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/reading.py
    .venv/bin/python benchmarks/reading.py --ratings 50 --no-write --no-browser

Rating request: POST /api/studies/<id>/ratings/ through the whole stack (middleware, the rating
key, the JSON parser, the idempotent store), timed in-process with Django's test client, beside two floors in the
same run and database: a bare view that inserts one row, and the same view for a signed-in user
(session and user lookups, as every authenticated request pays). The goal is a ratio of at most
1.5 at p50 and p95 against the bare view.

Key → paint: a real chromium reads the study with the keyboard; the reading page records, for each
rating, the time from the confirming key to the animation frame that shows the next image
(performance.now()). Like a reader, the script looks at each image (THINK_MS) before rating it.
Goal: p95 ≤ 100 ms locally. Results go between this script's markers in docs/benchmarks.md, one
section per database.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "radturing.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATICFILES_MANIFEST", "false")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="radturing-bench-"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from benchmarks.report import replace_section  # noqa: E402

THINK_MS = 400
START_TEMPLATE, END_TEMPLATE = "<!-- reading-{db}:start -->", "<!-- reading-{db}:end -->"


@csrf_exempt
def bare_insert(request):
    """The floor: a Django view that inserts one row and answers JSON."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (payload) VALUES (%s)", [request.body.decode()[:200]])
    return JsonResponse({"ok": True}, status=201)


@csrf_exempt
def bare_insert_signed_in(request):
    """The same insert behind a login check: what any authenticated endpoint pays before its work."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "sign in"}, status=403)
    return bare_insert(request)


urlpatterns = [path("bench/bare/", bare_insert), path("bench/bare-signed-in/", bare_insert_signed_in),
               path("", include("radturing.urls"))]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def make_study(n_images: int, tag: str):
    import numpy as np

    from accounts.models import User
    from accounts.roles import Role
    from imaging.models import CollectionKind, ImageCollection
    from imaging.store import create_image
    from studies.audit import acknowledge, run_audit
    from studies.lifecycle import join, save_design, transition
    from studies.models import Study, StudyStatus
    from studies.pool import add_collection

    researcher = User.objects.create_user(f"bench-researcher-{tag}", password="x")
    researcher.grant_role(Role.RESEARCHER)
    study = Study.objects.create(owner=researcher, title="Benchmark", reader_slots=1)
    rng = np.random.default_rng(0)
    for origin, kind in (("real", "real"), ("synthetic", "external")):
        collection = ImageCollection.objects.create(
            owner=researcher, name=f"{origin} {tag}", kind=CollectionKind.REAL if origin == "real" else CollectionKind.SYNTHETIC)
        for _ in range(n_images // 2):
            create_image(owner=researcher, pixels=rng.normal(-500, 300, (256, 256)), is_hu=True, modality="CT",
                         origin=origin, collection=collection, pixel_spacing_mm=0.7)
        add_collection(study, collection, kind=kind, generator_name="bench" if kind == "external" else "")
    if run_audit(study).flagged:  # random noise on both sides: a flag here is chance, acknowledged
        acknowledge(study)
    study = transition(save_design(study, confidence_levels=6), StudyStatus.OPEN)
    reader_user = User.objects.create_user(f"bench-reader-{tag}", password="reader-password")
    reader = join(study, reader_user)
    reader.consented_at = reader.joined_at
    reader.save(update_fields=["consented_at"])
    return study, reader


def time_requests(n_ratings: int) -> dict:
    from django.test import Client, override_settings

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_row (id INTEGER PRIMARY KEY "
                       + ("AUTOINCREMENT" if connection.vendor == "sqlite" else "GENERATED ALWAYS AS IDENTITY")
                       + ", payload TEXT)")
    study, reader = make_study(n_ratings, "requests")
    client = Client()
    client.force_login(reader.user)
    rating_ms, bare_ms, signed_in_ms = [], [], []
    with override_settings(ROOT_URLCONF=__name__):
        key = client.get(f"/api/studies/{study.public_id}/reading/").json()["rating_key"]  # warms up too
        client.post("/bench/bare/", data="{}", content_type="application/json")
        for position in range(n_ratings):  # interleaved: both see the same machine state
            body = json.dumps({"client_id": str(uuid.uuid4()), "position": position, "confidence": 1 + position % 6})
            t0 = time.perf_counter()
            response = client.post("/bench/bare/", data=body, content_type="application/json")
            bare_ms.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 201
            t0 = time.perf_counter()
            response = client.post("/bench/bare-signed-in/", data=body, content_type="application/json")
            signed_in_ms.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 201
            t0 = time.perf_counter()
            response = client.post(f"/api/studies/{study.public_id}/ratings/", data=body,
                                   content_type="application/json", HTTP_X_RATING_KEY=key)
            rating_ms.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 201, response.content
    out = {}
    for name, values in (("rating", rating_ms), ("bare", bare_ms), ("signed_in", signed_in_ms)):
        out[name] = {"p50": percentile(values, 50), "p95": percentile(values, 95), "n": len(values)}
    out["ratio_p50"] = out["rating"]["p50"] / out["bare"]["p50"]
    out["ratio_p95"] = out["rating"]["p95"] / out["bare"]["p95"]
    out["signed_in_ratio_p50"] = out["rating"]["p50"] / out["signed_in"]["p50"]
    out["signed_in_ratio_p95"] = out["rating"]["p95"] / out["signed_in"]["p95"]
    return out


def time_image_serving(repeats: int = 3) -> dict:
    """Does the time to serve an image tell real from synthetic? Every pool image of a study whose
    two sides are drawn alike is fetched `repeats` times through the reader's image URL; the AUC
    of the median times (synthetic vs real) should hold 0.5 in its CI."""
    from django.test import Client
    from django.urls import reverse

    from studies.models import PoolImage
    from studies.stats.roc import auc_with_ci

    study, reader = make_study(60, "timing")
    client = Client()
    client.force_login(reader.user)
    images = list(PoolImage.objects.filter(study=study))
    medians, truths = [], []
    for pool_image in images:
        url = reverse("studies:reader-image", args=[study.public_id, pool_image.reader_token])
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - t0) * 1000)
        medians.append(statistics.median(times))
        truths.append(pool_image.truth == "synthetic")
    result = auc_with_ci(medians, truths)
    return {"auc": result.auc, "low": result.low, "high": result.high, "n": len(images),
            "median_ms": statistics.median(medians)}


def time_key_to_paint(n_images: int) -> dict:
    """Serve the project with a live server thread and read the study in chromium."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    study, reader = make_study(n_images, "paint")
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            response = page.goto(base + "/accounts/login/")
            assert response.ok, (response.status, page.content()[:500])
            page.get_by_label("Username").fill("bench-reader-paint")
            page.get_by_label("Password").fill("reader-password")
            with page.expect_navigation():
                page.get_by_role("button", name="Log in").click()
            page.goto(f"{base}/studies/reading/{study.public_id}/")
            page.wait_for_selector("#reading[data-painted='0']")
            for i in range(n_images - 1):
                page.wait_for_function(f"document.querySelector('#reading').dataset.painted === '{i}'")
                page.wait_for_timeout(THINK_MS)  # a reader looks before rating; the next trial decodes meanwhile
                page.keyboard.press(str(1 + i % 6))
                page.keyboard.press("Enter")
            page.wait_for_function(f"document.querySelector('#reading').dataset.painted === '{n_images - 1}'")
            times = page.evaluate("window.radturingKeyToPaintMs || []")
            browser.close()
    finally:
        server.terminate()
    return {"p50": percentile(times, 50), "p95": percentile(times, 95), "n": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ratings", type=int, default=300)
    parser.add_argument("--paint-images", type=int, default=40)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        requests = time_requests(args.ratings)
        timing = time_image_serving()
        paint = None if args.no_browser else time_key_to_paint(args.paint_images)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    db = connection.vendor
    print(json.dumps({"database": db, "requests": requests, "image_timing": timing, "key_to_paint": paint}, indent=2))
    if args.no_write:
        return
    lines = [
        START_TEMPLATE.format(db=db),
        f"## Reading ({'PostgreSQL' if db == 'postgresql' else 'SQLite, embedded'})",
        "",
        f"`benchmarks/reading.py` on {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.",
        "",
        "| request | p50 ms | p95 ms | n |",
        "|---|---|---|---|",
        f"| rating (POST /api/studies/…/ratings/) | {requests['rating']['p50']:.2f} | {requests['rating']['p95']:.2f} "
        f"| {requests['rating']['n']} |",
        f"| bare view inserting one row | {requests['bare']['p50']:.2f} | {requests['bare']['p95']:.2f} "
        f"| {requests['bare']['n']} |",
        f"| the same, signed in | {requests['signed_in']['p50']:.2f} | {requests['signed_in']['p95']:.2f} "
        f"| {requests['signed_in']['n']} |",
        f"| **ratio to the bare view** (goal ≤ 1.5) | **{requests['ratio_p50']:.2f}×** "
        f"| **{requests['ratio_p95']:.2f}×** | |",
        f"| ratio to the signed-in view | {requests['signed_in_ratio_p50']:.2f}× "
        f"| {requests['signed_in_ratio_p95']:.2f}× | |",
        "",
        "Rating request goal (≤ 1.5× the bare view at p50 and p95): "
        + ("met." if max(requests["ratio_p50"], requests["ratio_p95"]) <= 1.5 else "**not met**."),
        "",
    ]
    lines += [f"Serving time as a side channel: the reader's image URL for each of {timing['n']} pool images "
              f"(median {timing['median_ms']:.1f} ms, 3 fetches each), synthetic vs real: AUC {timing['auc']:.2f} "
              f"(95% CI {timing['low']:.2f}–{timing['high']:.2f}); "
              + ("no timing difference found." if timing["low"] <= 0.5 <= timing["high"] else "**timing differs**.")
              + " Both sides are drawn alike here, so a difference would be the serving path's own.", ""]
    if paint:
        lines += [f"Rating key → next image painted in chromium: p50 {paint['p50']:.1f} ms, "
                  f"p95 {paint['p95']:.1f} ms over {paint['n']} ratings (goal p95 ≤ 100 ms: "
                  + ("met" if paint["p95"] <= 100 else "**not met**") + ").", ""]
    lines.append(END_TEMPLATE.format(db=db))
    replace_section(ROOT / "docs" / "benchmarks.md", START_TEMPLATE.format(db=db), END_TEMPLATE.format(db=db),
                    "\n".join(lines))


if __name__ == "__main__":
    main()
