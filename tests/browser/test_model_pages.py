"""The model registry and a model's page in headless chromium: every FID and KID says the feature
space it was computed in, and the generate form offers the spec's choices within the spec's limits."""
from __future__ import annotations

import pytest

from accounts.roles import Role
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL = "random-CNN (untrained, seed 0)"


@pytest.fixture
def evaluated_model():
    """rita's model with one evaluation (rows only: nothing is generated here)."""
    from generation.evaluation import summary
    from generation.models import Evaluation, GanModel

    rita = UserFactory(username="rita", role=Role.RESEARCHER)
    result = {"ci_low": 0.61, "ci_high": 0.88, "n_real": 64, "n_fake": 64, "extra": {}}
    metrics = {"fid": {**result, "value": 0.74, "feature_space_label": LABEL},
               "kid": {**result, "value": 0.012, "ci_low": 0.008, "ci_high": 0.016, "feature_space_label": LABEL},
               "ms_ssim_fake": {**result, "value": 0.31, "ci_low": 0.29, "ci_high": 0.33, "feature_space_label": None}}
    model = GanModel.objects.create(name="chest-64", resolution=64, checkpoint_path="none", checkpoint_sha256="0",
                                    finding_classes=["normal", "solid_nodule"], created_by=rita)
    evaluation = Evaluation.objects.create(gan_model=model, metrics=metrics, created_by=rita, plots={},
                                           inputs={"n_real": 64, "n_fake": 64, "seed": 0, "n_bootstrap": 100,
                                                   "real_set": "example CT"})
    model.metrics = {"evaluation": str(evaluation.public_id), **summary(metrics)}
    model.save()
    return model


def _log_in(page, live_server, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_url}")


def test_the_registry_and_the_model_page_name_the_feature_space_of_fid_and_kid(live_server, page, evaluated_model,
                                                                            tmp_path):
    _log_in(page, live_server, "/generation/")
    cell = page.locator('td[data-metric="fid"]')
    assert cell.inner_text().split() == ["0.74", "(0.61–0.88)", "in", *LABEL.split(), "features"]
    assert "feature space" in page.locator("thead th").last.inner_text()
    page.screenshot(path=str(tmp_path / "registry.png"), full_page=True)

    page.get_by_role("link", name="chest-64 v1").click()
    page.wait_for_url(f"**/generation/models/{evaluated_model.public_id}/")
    for key in ("fid", "kid"):
        assert page.locator(f'td[data-feature-space="{key}"]').inner_text() == f"{LABEL} features"
    assert page.locator('td[data-feature-space="ms_ssim_fake"]').inner_text() == "pixels"
    assert page.get_by_role("columnheader", name="Computed in").is_visible()
    page.screenshot(path=str(tmp_path / "model.png"), full_page=True)


def test_the_generate_form_offers_the_specs_choices_within_its_limits(live_server, page, evaluated_model, tmp_path):
    _log_in(page, live_server, f"/generation/models/{evaluated_model.public_id}/generate/")
    outputs = page.get_by_label("What to make").locator("option")
    assert outputs.evaluate_all("options => options.map(o => o.value)") == ["images", "progression", "patient_cases"]
    images = page.get_by_label("Images / cases")
    assert (images.get_attribute("min"), images.get_attribute("max"), images.input_value()) == ("1", "256", "8")
    assert page.get_by_label("Time points").get_attribute("max") == "24"
    page.screenshot(path=str(tmp_path / "generate.png"), full_page=True)

    page.get_by_label("Images / cases").fill("3")
    page.get_by_label("Finding").select_option("ground_glass_nodule")  # the model never learnt it
    page.get_by_role("button", name="Generate").click()
    page.wait_for_selector(".errorlist")
    assert "cannot make 'ground_glass_nodule'" in page.locator(".errorlist").inner_text()
    page.screenshot(path=str(tmp_path / "generate-refused.png"), full_page=True)


def test_the_train_form_offers_only_collections_that_may_train_a_model(live_server, page, evaluated_model, tmp_path):
    from imaging.models import CollectionKind, ImageCollection

    rita = evaluated_model.created_by
    ImageCollection.objects.create(owner=rita, name="rita's scans")
    ImageCollection.objects.create(owner=rita, name="rita's fakes", kind=CollectionKind.SYNTHETIC)
    ImageCollection.objects.create(owner=UserFactory(username="carl", role=Role.RESEARCHER), name="carl's scans")
    _log_in(page, live_server, "/generation/train/")
    names = page.get_by_label("Your collection").locator("option").all_inner_texts()
    assert names == ["—", "rita's scans"]
    assert page.get_by_label("Example chest CT (with inserted nodules)").is_checked()
    page.screenshot(path=str(tmp_path / "train.png"), full_page=True)
