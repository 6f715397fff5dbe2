"""The canvas viewer on a 3-slice CT phantom with known HU regions: window/level by drag and by
preset keys, invert, stack scrolling, zoom, the shortcut overlay, Esc, and keys typed into a form."""
from __future__ import annotations

import pytest

from tests.browser.phantom import MARKER_AT, MARKER_HU, REGIONS, window_grey
from tests.browser.viewer_page import VIEWER, css_point, grey_at, open_viewer, state, status_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("viewer_urls")]

LUNG = (-600, 1500)  # (center, width): key 1
DEFAULT = (40, 400)  # the test page's default window (soft tissue)


def expected(region: str, center: float, width: float, invert: bool = False) -> int:
    g = window_grey(REGIONS[region][1], center, width)
    return 255 - g if invert else g


def assert_grey(page, region: str, center: float, width: float, invert: bool = False) -> None:
    (col, row), _ = REGIONS[region]
    r, g, b, a = grey_at(page, col, row)
    want = expected(region, center, width, invert)
    assert (r, g, b, a) == (want, want, want, 255), f"{region}: got {r} want {want}"


def test_it_draws_the_phantom_in_the_default_window(page, live_server):
    open_viewer(page, live_server)
    s = state(page)
    assert (s["window"]["center"], s["window"]["width"]) == DEFAULT
    assert s["count"] == 3 and s["index"] == 0
    for region in REGIONS:
        assert_grey(page, region, *DEFAULT)
    assert status_text(page, "window") == "W 400 L 40 (Soft tissue)"
    assert status_text(page, "slice") == "1/3"
    assert page.js_errors == []


def test_dragging_changes_the_window_and_the_readout(page, live_server):
    open_viewer(page, live_server)
    x, y = css_point(page, *REGIONS["tissue"][0])
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 20, steps=5)
    page.mouse.move(x + 120, y + 40, steps=5)
    page.mouse.up()
    s = state(page)
    center, width = s["window"]["center"], s["window"]["width"]
    assert width > DEFAULT[1] and center > DEFAULT[0]  # right = wider, down = higher level
    assert status_text(page, "window") == f"W {width:.0f} L {center:.0f}"
    for region in REGIONS:
        assert_grey(page, region, center, width)
    assert grey_at(page, *REGIONS["tissue"][0])[0] != window_grey(40, *DEFAULT)


def test_key_1_sets_the_lung_window(page, live_server):
    open_viewer(page, live_server)
    page.keyboard.press("1")
    s = state(page)
    assert (s["window"]["center"], s["window"]["width"]) == LUNG
    assert s["preset"] == "Lung"
    # lung parenchyma at -850 HU in W1500/L-600: ((-850 + 600.5) / 1499 + 0.5) * 255 = 85
    assert expected("lung", *LUNG) == 85
    assert_grey(page, "lung", *LUNG)
    assert_grey(page, "tissue", *LUNG)
    assert status_text(page, "window") == "W 1500 L −600 (Lung)"
    assert page.locator('#v [data-action="preset"][data-preset="0"]').get_attribute("aria-pressed") == "true"


@pytest.mark.parametrize("key, window", [("2", (50, 350)), ("3", (40, 400)), ("4", (300, 2000)), ("5", (40, 80))])
def test_keys_2_to_5_set_the_other_ct_presets(page, live_server, key, window):
    open_viewer(page, live_server)
    page.keyboard.press(key)
    s = state(page)
    assert (s["window"]["center"], s["window"]["width"]) == window
    assert_grey(page, "bone", *window)


def test_i_inverts_the_grey_scale(page, live_server):
    open_viewer(page, live_server)
    page.keyboard.press("i")
    assert state(page)["invert"] is True
    for region in REGIONS:
        assert_grey(page, region, *DEFAULT, invert=True)
    assert page.locator('#v [data-action="invert"]').get_attribute("aria-pressed") == "true"
    page.keyboard.press("I")
    assert_grey(page, "tissue", *DEFAULT)


def test_wheel_and_arrow_keys_scroll_through_the_series(page, live_server):
    open_viewer(page, live_server)
    page.keyboard.press("1")  # lung window: all three marker HUs render distinct greys
    marker = lambda: grey_at(page, *MARKER_AT)[0]  # noqa: E731
    assert marker() == window_grey(MARKER_HU[0], *LUNG)
    page.mouse.move(*css_point(page, 128, 128))
    page.mouse.wheel(0, 120)
    page.wait_for_function(f"{VIEWER}.getState().index === 1 && {VIEWER}.getState().loaded")
    assert status_text(page, "slice") == "2/3"
    assert marker() == window_grey(MARKER_HU[1], *LUNG)
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"{VIEWER}.getState().loaded")
    assert status_text(page, "slice") == "3/3"
    assert marker() == window_grey(MARKER_HU[2], *LUNG)
    page.keyboard.press("ArrowDown")  # stays on the last image
    assert state(page)["index"] == 2
    page.keyboard.press("Home")
    assert status_text(page, "slice") == "1/3"
    page.keyboard.press("End")
    assert status_text(page, "slice") == "3/3"
    page.mouse.wheel(0, -120)
    page.keyboard.press("ArrowUp")
    assert status_text(page, "slice") == "1/3"
    page.keyboard.press("PageDown")  # 10% of 3 images rounds to one step
    assert status_text(page, "slice") == "2/3"
    page.keyboard.press("PageUp")
    assert status_text(page, "slice") == "1/3"
    assert state(page)["window"] == {"center": -600, "width": 1500}  # the window stays across slices


def test_question_mark_toggles_the_shortcut_list(page, live_server):
    open_viewer(page, live_server)
    help_list = page.locator("#v .viewer-help")
    assert help_list.is_hidden()
    page.keyboard.press("?")
    assert help_list.is_visible()
    assert "Window preset" in help_list.inner_text()
    page.keyboard.press("Escape")  # Esc closes the list first
    assert help_list.is_hidden()
    page.locator('#v .viewer-toolbar [data-action="help"]').click()
    assert help_list.is_visible()
    page.keyboard.press("?")
    assert help_list.is_hidden()
    page.keyboard.press("?")
    help_list.get_by_role("button", name="Close the shortcut list").click()
    assert help_list.is_hidden()


def test_shortcuts_do_nothing_while_typing_in_a_form_field(page, live_server):
    open_viewer(page, live_server)
    before = state(page)
    page.locator("#note").click()
    page.keyboard.type("1i?c0+f")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert page.locator("#note").input_value() == "1i?c0+f"
    assert state(page) == before
    assert page.locator("#v .viewer-help").is_hidden()


def test_escape_resets_window_zoom_invert_and_cine(page, live_server):
    open_viewer(page, live_server)
    fitted_zoom = state(page)["zoom"]
    page.keyboard.press("4")
    page.keyboard.press("i")
    page.keyboard.press("+")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("c")
    s = state(page)
    assert s["invert"] and s["zoom"] > fitted_zoom and s["cine"]["playing"] and not s["fitted"]
    page.keyboard.press("Escape")
    s = state(page)
    assert (s["window"]["center"], s["window"]["width"]) == DEFAULT
    assert not s["invert"] and s["fitted"] and not s["cine"]["playing"]
    assert s["zoom"] == pytest.approx(fitted_zoom)
    assert_grey(page, "tissue", *DEFAULT)


def test_ctrl_wheel_zooms_around_the_cursor(page, live_server):
    open_viewer(page, live_server)
    before = state(page)["zoom"]
    x, y = css_point(page, 83, 128)
    page.mouse.move(x, y)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_function(f"{VIEWER}.getState().zoom > {before}")
    after = css_point(page, 83, 128)
    assert after == pytest.approx((x, y), abs=1)  # the point under the cursor stays put
    assert state(page)["index"] == 0  # ctrl+wheel zooms; it does not scroll the stack
    assert status_text(page, "zoom") == f"{round(state(page)['zoom'] * 100)}%"


def test_zoom_keys_and_buttons(page, live_server):
    open_viewer(page, live_server)
    fitted = state(page)["zoom"]
    page.keyboard.press("+")
    assert state(page)["zoom"] == pytest.approx(fitted * 1.25)
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert state(page)["zoom"] == pytest.approx(fitted / 1.25)
    page.keyboard.press("o")
    assert state(page)["zoom"] == 1
    page.keyboard.press("0")
    assert state(page)["zoom"] == pytest.approx(fitted)
    page.get_by_role("button", name="Original size, one image pixel per screen pixel").click()
    assert state(page)["zoom"] == 1
    page.get_by_role("button", name="Fit image to the view").click()
    assert state(page)["fitted"]


def test_shift_drag_and_middle_drag_pan(page, live_server):
    open_viewer(page, live_server)
    x, y = css_point(page, 128, 128)
    page.keyboard.down("Shift")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 50, y + 30, steps=5)
    page.mouse.up()
    page.keyboard.up("Shift")
    assert css_point(page, 128, 128) == pytest.approx((x + 50, y + 30), abs=5)
    page.mouse.move(x + 50, y + 30)
    page.mouse.down(button="middle")
    page.mouse.move(x, y, steps=5)
    page.mouse.up(button="middle")
    assert css_point(page, 128, 128) == pytest.approx((x, y), abs=5)
    assert state(page)["window"]["width"] == DEFAULT[1]  # panning leaves the window alone


def test_a_click_reports_the_point_in_image_pixels(page, live_server):
    open_viewer(page, live_server)
    page.evaluate("window.points = []; document.addEventListener('viewer:point', (e) => points.push(e.detail))")
    page.mouse.click(*css_point(page, 83.5, 128.5))
    point = page.evaluate("points[0]")
    assert (point["column"], point["row"]) == (83, 128)
    assert point["value"] == -850 and point["unit"] == "HU"
    assert point["token"] == "phantom-0"
    assert state(page)["window"]["width"] == DEFAULT[1]  # a click is not a window drag


def test_cine_plays_through_the_series(page, live_server):
    open_viewer(page, live_server)
    page.wait_for_function(f"{VIEWER}.getState() && document.querySelectorAll('#v').length")
    page.keyboard.press("]")
    page.keyboard.press("c")
    assert state(page)["cine"] == {"playing": True, "fps": 11}
    assert "cine 11 fps" in status_text(page, "flags")
    page.wait_for_function(f"{VIEWER}.getState().index === 2", timeout=5000)
    page.keyboard.press("c")
    assert state(page)["cine"]["playing"] is False


def test_the_display_context_describes_the_screen(hidpi_page, live_server):
    page = hidpi_page
    open_viewer(page, live_server)
    context = page.evaluate(f"{VIEWER}.displayContext()")
    assert context["devicePixelRatio"] == 2
    assert context["canvas"]["width"] == 2 * context["canvas"]["cssWidth"]
    assert context["image"] == {"width": 256, "height": 256}
    assert context["window"] == {"center": 40, "width": 400}
    assert {"screen", "viewport", "zoom", "cssZoom", "invert"} <= context.keys()
    # HiDPI: the backing store has device pixels, so 1:1 is one image pixel per device pixel
    page.keyboard.press("o")
    assert page.evaluate(f"{VIEWER}.displayContext().cssZoom") == 0.5
    assert_grey(page, "lung", *DEFAULT)


def test_every_action_has_a_labelled_button(page, live_server):
    open_viewer(page, live_server)
    buttons = page.locator("#v .viewer-toolbar button")
    for i in range(buttons.count()):
        assert buttons.nth(i).get_attribute("aria-label")
    page.get_by_role("button", name="Invert grey scale").click()
    assert state(page)["invert"] is True
    page.get_by_role("button", name="Lung window, W 1500 L -600").click()
    assert state(page)["preset"] == "Lung"
    page.get_by_role("button", name="Next image").click()
    assert state(page)["index"] == 1
    page.get_by_role("button", name="Reset window, zoom and invert").click()
    assert state(page)["invert"] is False
    smooth = page.get_by_role("button", name="Smooth pixels (off: nearest neighbour)")
    smooth.click()
    assert state(page)["smoothing"] is True and smooth.get_attribute("aria-pressed") == "true"
    page.keyboard.press("s")
    assert state(page)["smoothing"] is False
    page.locator("#v .viewer-stage").focus()
    assert page.evaluate("document.activeElement.classList.contains('viewer-stage')")


def test_f_toggles_full_screen(page, live_server):
    open_viewer(page, live_server)
    page.keyboard.press("f")
    page.wait_for_function(f"{VIEWER}.getState().fullscreen")
    assert page.evaluate("document.fullscreenElement.id") == "v"
    page.wait_for_function(f"{VIEWER}.canvas.width > 1000")  # the stage grew and the canvas followed
    page.keyboard.press("f")
    page.wait_for_function(f"!{VIEWER}.getState().fullscreen")


def test_a_keyboard_user_reaches_the_image_and_sees_the_focus(page, live_server):
    open_viewer(page, live_server)
    page.locator("#v .viewer-stage").focus()
    page.keyboard.press("2")
    assert state(page)["preset"] == "Mediastinum"
    outline = page.evaluate("getComputedStyle(document.querySelector('#v .viewer-stage')).outlineStyle")
    assert outline == "solid"


def test_an_image_without_presets_opens_in_its_full_range(page, live_server):
    open_viewer(page, live_server, kind="mr")
    s = state(page)
    # stored values 24 (air) to 1724 (bone) with no rescale: centre 874, width 1701
    assert s["window"] == {"center": 874, "width": 1701} and s["preset"] is None
    assert page.locator("#v .viewer-presets button").count() == 0
    page.keyboard.press("1")  # no preset 1: nothing happens
    assert state(page)["window"] == s["window"]
    assert status_text(page, "window") == "W 1701 L 874"
