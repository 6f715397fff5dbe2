// Mouse, wheel and keyboard → viewer actions. Returns a function that removes every listener.
import { entryFor, isTypingTarget } from "./keymap.js";

const CLICK_SLOP_PX = 4;      // a press that moves less than this is a click (localise), not a drag
const WHEEL_STEP_PX = 50;     // pixel-mode wheel delta per slice (trackpads send many small deltas)
const PAN_STEP_CSS_PX = 40;   // Shift+arrow pan step

/**
 * @param {object} viewer   the object returned by createViewer
 * @param {HTMLElement} stage  the element holding the canvas (pointer and wheel target)
 * @param {HTMLElement} root   the viewer container
 * @param {"document"|"focus"} keyboard  where keys are heard: anywhere on the page, or only when
 *        focus is inside this viewer (use "focus" when a page holds several viewers)
 */
export function bindInput(viewer, stage, root, keyboard) {
  let drag = null;
  let wheelAccumulator = 0;

  // The shortcut list sits over the image: clicks and wheel turns there belong to the list.
  const overHelp = (event) => event.target instanceof Element && event.target.closest(".viewer-help");

  function onPointerDown(event) {
    if ((event.button !== 0 && event.button !== 1) || overHelp(event)) return;
    const mode = event.button === 1 || event.shiftKey ? "pan" : "window";
    drag = { id: event.pointerId, mode, x: event.clientX, y: event.clientY, x0: event.clientX, y0: event.clientY, moved: false };
    if (mode === "window") viewer.beginWindowDrag();
    stage.setPointerCapture(event.pointerId);
    stage.focus({ preventScroll: true });
    event.preventDefault(); // no text selection, no middle-button autoscroll
  }

  function onPointerMove(event) {
    const rect = stage.getBoundingClientRect();
    viewer.hover(event.clientX - rect.left, event.clientY - rect.top);
    if (!drag || event.pointerId !== drag.id) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    drag.x = event.clientX;
    drag.y = event.clientY;
    if (!drag.moved && Math.hypot(event.clientX - drag.x0, event.clientY - drag.y0) < CLICK_SLOP_PX) return;
    drag.moved = true;
    if (drag.mode === "pan") viewer.panBy(dx, dy);
    else viewer.dragWindow(event.clientX - drag.x0, event.clientY - drag.y0);
  }

  function onPointerUp(event) {
    if (!drag || event.pointerId !== drag.id) return;
    const wasClick = !drag.moved && drag.mode === "window";
    drag = null;
    if (wasClick) {
      const rect = stage.getBoundingClientRect();
      viewer.localise(event.clientX - rect.left, event.clientY - rect.top);
    }
  }

  function onWheel(event) {
    if (overHelp(event)) return;
    event.preventDefault(); // the page must not scroll (or browser-zoom on ctrl) under the image
    const rect = stage.getBoundingClientRect();
    if (event.ctrlKey || event.metaKey) {
      const delta = event.deltaMode === 0 ? event.deltaY : event.deltaY * 40;
      viewer.zoomBy(Math.exp(-delta * 0.002), event.clientX - rect.left, event.clientY - rect.top);
      return;
    }
    if (event.deltaMode !== 0 || Math.abs(event.deltaY) >= WHEEL_STEP_PX) {
      wheelAccumulator = 0;
      viewer.step(Math.sign(event.deltaY));
      return;
    }
    wheelAccumulator += event.deltaY;
    if (Math.abs(wheelAccumulator) >= WHEEL_STEP_PX) {
      viewer.step(Math.sign(wheelAccumulator));
      wheelAccumulator = 0;
    }
  }

  function onKeyDown(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTypingTarget(event.target)) return;
    const inside = root.contains(event.target);
    if (keyboard === "focus" && !inside) return;
    // With document-wide keys, a key aimed at another viewer on the page is that viewer's business.
    if (!inside && event.target instanceof Element && event.target.closest(".viewer")) return;
    const entry = entryFor(event);
    if (!entry) return;
    const handled = viewer.runAction(entry.action, event.key);
    if (handled !== false) event.preventDefault();
  }

  const preventContextDrag = (event) => { if (event.button === 1) event.preventDefault(); };
  stage.addEventListener("pointerdown", onPointerDown);
  stage.addEventListener("pointermove", onPointerMove);
  stage.addEventListener("pointerup", onPointerUp);
  stage.addEventListener("pointercancel", onPointerUp);
  stage.addEventListener("mousedown", preventContextDrag);
  stage.addEventListener("wheel", onWheel, { passive: false });
  const keyTarget = keyboard === "focus" ? root : document;
  keyTarget.addEventListener("keydown", onKeyDown);
  return () => {
    stage.removeEventListener("pointerdown", onPointerDown);
    stage.removeEventListener("pointermove", onPointerMove);
    stage.removeEventListener("pointerup", onPointerUp);
    stage.removeEventListener("pointercancel", onPointerUp);
    stage.removeEventListener("mousedown", preventContextDrag);
    stage.removeEventListener("wheel", onWheel);
    keyTarget.removeEventListener("keydown", onKeyDown);
  };
}

export { PAN_STEP_CSS_PX };
