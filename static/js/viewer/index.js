// RadTuring image viewer: 16-bit grayscale PNG masters drawn on a canvas with window/level, zoom,
// pan, invert, stack scrolling and cine. One module used by the image pages, reading studies and
// teaching cases:
//
//   import { createViewer } from "/static/js/viewer/index.js";
//   const viewer = createViewer(document.querySelector("#v"), {
//     images: [{ masterUrl: "/imaging/i/abc/master.png", meta: { modality: "CT", token: "abc" } }],
//     onEvent: (e) => console.log(e.type, e),        // also dispatched as bubbling `viewer:<type>` DOM events
//   });
//   viewer.setWindow(-600, 1500);  viewer.getState();  viewer.displayContext();  viewer.destroy();
//
// Events: ready, slice, window, zoom, invert, point (click-to-localise, image pixel coordinates),
// cine, fullscreen, reset, error. Coordinates: image pixel (x, y) with (0, 0) the top-left corner
// of the top-left pixel; canvas coordinates are device pixels; pointer input arrives in CSS pixels.
import { Cine } from "./cine.js";
import { bindInput, PAN_STEP_CSS_PX } from "./input.js";
import { applyLut, buildLut } from "./lut.js";
import { Announcer, el, HelpOverlay, StatusLine } from "./overlay.js";
import { fetchGrayscale } from "./png16.js";
import { CT_PRESETS, CT_RESCALE, IDENTITY_RESCALE } from "./presets.js";
import { Toolbar } from "./toolbar.js";
import { ViewTransform } from "./transform.js";

const ZOOM_STEP = 1.25;
const PREFETCH_CONCURRENCY = 3;
let nextId = 0;

/** Fill in what a page may leave out of an image's meta (the /api/images/<token>/ JSON fits as is). */
export function normaliseMeta(meta = {}) {
  const modality = String(meta.modality || "").toUpperCase();
  const isCT = "units" in meta ? meta.units === "HU" : modality === "CT"; // the API says "units"
  const rescale = meta.rescale || {
    slope: meta.rescale_slope ?? 1,
    intercept: meta.rescale_intercept ?? (isCT ? CT_RESCALE.intercept : IDENTITY_RESCALE.intercept),
  };
  const given = meta.window_presets || meta.presets || [];
  const presets = isCT ? ctKeyOrder(given) : given;
  let defaultWindow = meta.default_window ?? meta.window ?? null;
  if (typeof defaultWindow === "string") defaultWindow = presets.find((p) => p.name === defaultWindow) || null;
  return { ...meta, modality, rescale, presets, defaultWindow, unit: isCT ? "HU" : "value" };
}

// CT keys 1–5 always mean lung, mediastinum, soft tissue, bone, brain (STACK.md), whatever order
// the server lists its presets in: a server preset of the same name supplies the values, and any
// other server presets follow on keys 6–9.
function ctKeyOrder(given) {
  const byName = new Map(given.map((p) => [String(p.name).toLowerCase(), p]));
  const known = CT_PRESETS.map((p) => byName.get(p.name.toLowerCase()) || p);
  const names = new Set(CT_PRESETS.map((p) => p.name.toLowerCase()));
  return [...known, ...given.filter((p) => !names.has(String(p.name).toLowerCase()))]
    .map((p) => ({ name: p.name, center: Number(p.center), width: Number(p.width) }));
}

function toImages(series) {
  const list = Array.isArray(series) ? series : series.images;
  return list.map((item) => ({
    url: item.masterUrl || item.url,
    meta: normaliseMeta(item.meta || {}),
    token: item.token || (item.meta && item.meta.token) || null,
  }));
}

/**
 * Build a viewer inside `container` (its contents are replaced).
 * @param {HTMLElement} container
 * @param {object} options
 * @param {Array<{masterUrl:string, meta?:object, token?:string}>} [options.images]  the series, in order
 * @param {number} [options.index]  the image to show first
 * @param {Array<{name:string, center:number, width:number}>} [options.presets]  overrides the meta's presets
 * @param {{center:number, width:number}} [options.defaultWindow]  overrides the meta's default window
 * @param {(event:object) => void} [options.onEvent]
 * @param {"document"|"focus"} [options.keyboard="document"]  "focus" when a page shows several viewers
 * @param {boolean} [options.smoothing=false]  smooth (bilinear) or nearest-neighbour magnification
 * @param {number} [options.fps=10]  cine frame rate
 * @param {string} [options.label]  accessible name of the image area
 */
export function createViewer(container, options = {}) {
  const id = container.id || `viewer-${(nextId += 1)}`;
  const onEvent = options.onEvent || (() => {});
  container.classList.add("viewer");
  container.replaceChildren();

  const toolbar = new Toolbar(container, id);
  const stage = container.appendChild(el("div", {
    class: "viewer-stage", tabindex: "0", role: "application", "aria-roledescription": "image viewer",
    "aria-label": `${options.label || "Image"}. Press question mark for keyboard shortcuts.`,
  }));
  const canvas = stage.appendChild(el("canvas", { role: "img", "aria-label": "Loading image" }));
  const help = new HelpOverlay(stage, id);
  const status = new StatusLine(container);
  const announcer = new Announcer(container);
  const ctx = canvas.getContext("2d", { alpha: false });
  const offscreen = document.createElement("canvas");
  const offctx = offscreen.getContext("2d");

  const view = new ViewTransform();
  const state = {
    images: [], slices: [], index: 0, shown: -1, center: 40, width: 400, invert: false,
    smoothing: Boolean(options.smoothing), presets: [], presetIndex: null, defaultWindow: null,
    fullscreen: false, destroyed: false,
  };
  let lut = null;
  let lutKey = "";
  let imageData = null;
  let dragStart = null;
  let abort = null;
  const cine = new Cine(() => advanceCine(), options.fps || 10);

  // --- events ----------------------------------------------------------------------------------
  function emit(type, detail = {}) {
    const event = { type, ...detail };
    try { onEvent(event); } catch (error) { console.error(error); } // a page's bug must not stop the viewer
    container.dispatchEvent(new CustomEvent(`viewer:${type}`, { bubbles: true, detail: event }));
  }

  // --- loading ---------------------------------------------------------------------------------
  function sliceAt(i) {
    const slice = state.slices[i];
    if (slice.promise) return slice.promise;
    slice.promise = fetchGrayscale(slice.url, { signal: abort.signal }).then((data) => {
      slice.data = data;
      if (i === state.index && !state.destroyed) show();
      return data;
    }).catch((error) => {
      slice.error = error;
      if (error.name !== "AbortError") emit("error", { index: i, message: String(error.message || error) });
      throw error;
    });
    return slice.promise;
  }

  async function prefetch(order) {
    const queue = [...order];
    const worker = async () => {
      while (queue.length && !state.destroyed) {
        try { await sliceAt(queue.shift()); } catch { /* reported through the error event */ }
      }
    };
    await Promise.all(Array.from({ length: PREFETCH_CONCURRENCY }, worker));
  }

  function load(series, index = 0) {
    if (abort) abort.abort();
    abort = new AbortController();
    cine.stop();
    state.images = toImages(series);
    state.slices = state.images.map((img) => ({ ...img, data: null, promise: null, error: null }));
    state.index = Math.min(Math.max(0, series.index ?? index), Math.max(0, state.images.length - 1));
    state.shown = -1;
    const meta = state.images.length ? state.images[0].meta : normaliseMeta();
    state.presets = options.presets || meta.presets;
    state.defaultWindow = options.defaultWindow || meta.defaultWindow || state.presets[0] || null;
    if (state.defaultWindow) setWindowValues(state.defaultWindow.center, state.defaultWindow.width);
    toolbar.setPresets(state.presets);
    view.fitted = true;
    refresh();
    if (!state.slices.length) return Promise.resolve();
    const first = sliceAt(state.index).then(() => {
      if (!state.defaultWindow) { // no preset known (a non-CT without meta): use the full range
        const { min, max } = state.slices[state.index].data;
        const { slope, intercept } = current().meta.rescale;
        state.defaultWindow = { center: ((min + max) / 2) * slope + intercept, width: Math.max(1, (max - min + 1) * slope) };
        setWindow(state.defaultWindow.center, state.defaultWindow.width);
      }
      emit("ready", { count: state.slices.length, index: state.index });
    });
    const order = state.slices.map((_, i) => i).filter((i) => i !== state.index)
      .sort((a, b) => Math.abs(a - state.index) - Math.abs(b - state.index));
    first.catch(() => {}).then(() => prefetch(order));
    return first;
  }

  const current = () => state.slices[state.index];

  // --- drawing ---------------------------------------------------------------------------------
  function show() {
    const slice = current();
    if (!slice || !slice.data) { refresh(); return; }
    const { width, height } = slice.data;
    if (offscreen.width !== width || offscreen.height !== height || !imageData) {
      offscreen.width = width;
      offscreen.height = height;
      imageData = offctx.createImageData(width, height);
    }
    const firstImage = state.shown === -1;
    state.shown = state.index;
    if (firstImage || view.fitted) fitView();
    renderWindow();
  }

  function renderWindow() {
    const slice = state.slices[state.shown];
    if (!slice || !slice.data) { refresh(); return; }
    const { slope, intercept } = slice.meta.rescale;
    const key = [slice.data.depth, slope, intercept, state.center, state.width, state.invert].join();
    if (key !== lutKey) {
      lut = buildLut({ depth: slice.data.depth, slope, intercept, center: state.center, width: state.width, invert: state.invert });
      lutKey = key;
    }
    offctx.putImageData(applyLut(slice.data.samples, lut, imageData), 0, 0);
    draw();
  }

  function draw() {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (state.shown !== -1) {
      ctx.imageSmoothingEnabled = state.smoothing;
      ctx.imageSmoothingQuality = "high";
      ctx.setTransform(view.scale, 0, 0, view.scale, view.tx, view.ty);
      ctx.drawImage(offscreen, 0, 0);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    refresh();
  }

  function refresh() {
    const s = getState();
    status.update({ ...s, window: s.window, loading: Boolean(current() && !current().data && !current().error) });
    toolbar.update({ ...s, presetIndex: state.presetIndex, help: help.open }, state.slices.length);
    const meta = current() ? current().meta : {};
    canvas.setAttribute("aria-label", current()
      ? `${meta.modality || "Image"} ${state.index + 1} of ${state.slices.length}, window width ${Math.round(state.width)} level ${Math.round(state.center)}${state.invert ? ", inverted" : ""}`
      : "No image");
  }

  function resize() {
    const dpr = window.devicePixelRatio || 1;
    const rect = stage.getBoundingClientRect();
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (w === canvas.width && h === canvas.height) return;
    if (!view.fitted) view.panBy((w - canvas.width) / 2, (h - canvas.height) / 2);
    const keepFitted = view.fitted;
    canvas.width = w;
    canvas.height = h;
    if (keepFitted) fitView();
    draw();
  }

  function fitView() {
    if (!offscreen.width) return;
    view.fit(canvas.width, canvas.height, offscreen.width, offscreen.height);
  }

  // --- window ----------------------------------------------------------------------------------
  function setWindowValues(center, width) {
    state.center = Number(center);
    state.width = Math.max(1, Number(width));
    const match = state.presets.findIndex((p) => p.center === state.center && p.width === state.width);
    state.presetIndex = match === -1 ? null : match;
  }

  function setWindow(center, width) {
    setWindowValues(center, width);
    renderWindow();
    emit("window", { center: state.center, width: state.width, invert: state.invert, preset: presetName() });
  }

  const presetName = () => (state.presetIndex === null ? null : state.presets[state.presetIndex].name);

  function applyPreset(which) {
    const index = typeof which === "number" ? which : state.presets.findIndex((p) => p.name === which);
    const preset = state.presets[index];
    if (!preset) return false;
    setWindow(preset.center, preset.width);
    announcer.say(`${preset.name} window`);
    return true;
  }

  function beginWindowDrag() {
    // Sensitivity scales with the window: a fine brain window moves by a fraction of a HU per pixel,
    // a bone window by several.
    dragStart = { center: state.center, width: state.width, perPx: Math.max(state.width, 64) / 256 };
  }

  function dragWindow(totalDx, totalDy) {
    if (!dragStart) beginWindowDrag();
    setWindow(Math.round(dragStart.center + totalDy * dragStart.perPx), Math.max(1, Math.round(dragStart.width + totalDx * dragStart.perPx)));
  }

  function setInvert(on) {
    state.invert = Boolean(on);
    renderWindow();
    emit("invert", { invert: state.invert });
    emit("window", { center: state.center, width: state.width, invert: state.invert, preset: presetName() });
    announcer.say(state.invert ? "Inverted" : "Not inverted");
  }

  // --- slices ----------------------------------------------------------------------------------
  function setSlice(i) {
    const count = state.slices.length;
    if (!count) return false;
    const next = Math.min(count - 1, Math.max(0, Math.round(i)));
    if (next === state.index) return false;
    state.index = next;
    if (current().data) show(); else { refresh(); sliceAt(next).catch(() => {}); }
    emit("slice", { index: next, count, token: current().token });
    announcer.say(`Image ${next + 1} of ${count}`);
    return true;
  }

  const step = (n) => setSlice(state.index + n);

  function advanceCine() {
    const count = state.slices.length;
    if (count < 2) return false;
    const next = (state.index + 1) % count;
    if (!state.slices[next].data) { sliceAt(next).catch(() => {}); return false; }
    return setSlice(next);
  }

  function setCine(on) {
    if (on && state.slices.length > 1) cine.start(); else cine.stop();
    refresh();
    emit("cine", { playing: cine.playing, fps: cine.fps });
    announcer.say(cine.playing ? `Cine playing at ${cine.fps} frames per second` : "Cine stopped");
  }

  function setFps(fps) {
    cine.setFps(fps);
    refresh();
    emit("cine", { playing: cine.playing, fps: cine.fps });
  }

  // --- zoom and pan ----------------------------------------------------------------------------
  const canvasCenter = () => ({ x: canvas.width / 2, y: canvas.height / 2 });
  const dpr = () => window.devicePixelRatio || 1;

  function afterView() {
    draw();
    emit("zoom", { zoom: view.scale, pan: { x: view.tx, y: view.ty } });
  }

  /** Zoom by `factor` around a point given in CSS pixels within the stage (default: its centre). */
  function zoomBy(factor, cssX, cssY) {
    const at = cssX === undefined ? canvasCenter() : { x: cssX * dpr(), y: cssY * dpr() };
    view.zoomAt(factor, at.x, at.y);
    afterView();
  }

  function fit() { fitView(); afterView(); announcer.say("Fitted to view"); }

  function oneToOne() {
    const c = canvasCenter();
    view.setScale(1, c.x, c.y);
    afterView();
    announcer.say("Original size");
  }

  /** Pan by CSS pixels. */
  function panBy(dx, dy) { view.panBy(dx * dpr(), dy * dpr()); afterView(); }

  // --- points ----------------------------------------------------------------------------------
  function valueAt(x, y) {
    const slice = state.slices[state.shown];
    if (!slice || !slice.data) return null;
    const col = Math.floor(x);
    const row = Math.floor(y);
    const { width, height, samples } = slice.data;
    if (col < 0 || row < 0 || col >= width || row >= height) return null;
    const { slope, intercept } = slice.meta.rescale;
    return samples[row * width + col] * slope + intercept;
  }

  function pointFromCss(cssX, cssY) {
    const p = view.toImage(cssX * dpr(), cssY * dpr());
    const value = valueAt(p.x, p.y);
    if (value === null) return null;
    const slice = state.slices[state.shown];
    return { x: p.x, y: p.y, column: Math.floor(p.x), row: Math.floor(p.y), value, unit: slice.meta.unit, index: state.shown, token: slice.token };
  }

  function hover(cssX, cssY) { status.showValue(pointFromCss(cssX, cssY)); }

  function localise(cssX, cssY) {
    const point = pointFromCss(cssX, cssY);
    if (point) emit("point", point);
    return point;
  }

  // --- full screen, help, reset ----------------------------------------------------------------
  function toggleFullscreen() {
    if (document.fullscreenElement === container) document.exitFullscreen();
    else if (container.requestFullscreen) container.requestFullscreen().catch(() => {});
  }

  function onFullscreenChange() {
    state.fullscreen = document.fullscreenElement === container;
    container.classList.toggle("is-fullscreen", state.fullscreen);
    resize();
    refresh();
    emit("fullscreen", { fullscreen: state.fullscreen });
  }

  let focusBeforeHelp = null;
  function toggleHelp(force) {
    const wasOpen = help.open;
    const open = help.toggle(force);
    if (open && !wasOpen) { focusBeforeHelp = document.activeElement; help.node.querySelector("h2").focus(); }
    if (!open && wasOpen && focusBeforeHelp && document.contains(focusBeforeHelp)) focusBeforeHelp.focus();
    refresh();
    return open;
  }

  function reset() {
    cine.stop();
    state.invert = false;
    const w = state.defaultWindow;
    if (w) setWindowValues(w.center, w.width);
    fitView();
    renderWindow();
    emit("reset", getState());
    emit("window", { center: state.center, width: state.width, invert: false, preset: presetName() });
    announcer.say("Reset");
  }

  // --- actions (keys and buttons share these) ---------------------------------------------------
  function runAction(action, key, target) {
    const page = Math.max(1, Math.round(state.slices.length / 10));
    const pan = PAN_STEP_CSS_PX;
    switch (action) {
      case "preset": return applyPreset(target ? Number(target.dataset.preset) : Number(key) - 1);
      case "invert": setInvert(!state.invert); return true;
      case "zoomIn": zoomBy(ZOOM_STEP); return true;
      case "zoomOut": zoomBy(1 / ZOOM_STEP); return true;
      case "fit": fit(); return true;
      case "oneToOne": oneToOne(); return true;
      case "prev": step(-1); return true;
      case "next": step(1); return true;
      case "pageUp": step(-page); return true;
      case "pageDown": step(page); return true;
      case "first": setSlice(0); return true;
      case "last": setSlice(state.slices.length - 1); return true;
      case "pan": {
        const d = { ArrowLeft: [pan, 0], ArrowRight: [-pan, 0], ArrowUp: [0, pan], ArrowDown: [0, -pan] }[key];
        if (d) panBy(d[0], d[1]);
        return true;
      }
      case "cine": setCine(!cine.playing); return true;
      case "fps": setFps(cine.fps + (key === "[" ? -1 : 1)); return true;
      case "smoothing": state.smoothing = !state.smoothing; draw(); announcer.say(state.smoothing ? "Smooth pixels" : "Sharp pixels"); return true;
      case "fullscreen": toggleFullscreen(); return true;
      case "reset":
        if (help.open) { toggleHelp(false); return true; }
        reset();
        return true;
      case "help": toggleHelp(); return true;
      default: return false;
    }
  }

  function onClick(event) {
    const button = event.target.closest("button[data-action]");
    if (!button || !container.contains(button)) return;
    runAction(button.dataset.action, undefined, button);
  }

  function onFpsChange() { setFps(toolbar.fps.value); }

  // --- state -----------------------------------------------------------------------------------
  function getState() {
    const c = current();
    return {
      index: state.index, count: state.slices.length, token: c ? c.token : null,
      loaded: Boolean(c && c.data && state.shown === state.index),
      window: { center: state.center, width: state.width }, preset: presetName(), invert: state.invert,
      zoom: view.scale, pan: { x: view.tx, y: view.ty }, fitted: view.fitted, smoothing: state.smoothing,
      cine: { playing: cine.playing, fps: cine.fps }, fullscreen: state.fullscreen, help: help.open,
    };
  }

  /** What the reader saw, for logging with a rating (sizes in CSS px unless named device px). */
  function displayContext() {
    const ratio = dpr();
    return {
      screen: { width: screen.width, height: screen.height, availWidth: screen.availWidth, availHeight: screen.availHeight, colorDepth: screen.colorDepth },
      devicePixelRatio: ratio,
      viewport: { width: window.innerWidth, height: window.innerHeight },
      canvas: { width: canvas.width, height: canvas.height, cssWidth: canvas.width / ratio, cssHeight: canvas.height / ratio },
      image: { width: offscreen.width, height: offscreen.height },
      zoom: view.scale, cssZoom: view.scale / ratio,
      window: { center: state.center, width: state.width }, preset: presetName(), invert: state.invert,
      smoothing: state.smoothing, fullscreen: state.fullscreen, index: state.index, count: state.slices.length,
    };
  }

  // --- wiring ----------------------------------------------------------------------------------
  const unbindInput = bindInput({ beginWindowDrag, dragWindow, panBy, zoomBy, step, hover, localise, runAction },
    stage, container, options.keyboard || "document");
  container.addEventListener("click", onClick);
  toolbar.fps.addEventListener("change", onFpsChange);
  document.addEventListener("fullscreenchange", onFullscreenChange);
  const observer = new ResizeObserver(resize);
  observer.observe(stage);
  // devicePixelRatio changes (browser zoom, moving to another monitor) do not resize the stage.
  let dprQuery = null;
  const onDprChange = () => { resize(); watchDpr(); };
  function watchDpr() {
    if (dprQuery) dprQuery.removeEventListener("change", onDprChange);
    dprQuery = matchMedia(`(resolution: ${dpr()}dppx)`);
    dprQuery.addEventListener("change", onDprChange, { once: true });
  }
  watchDpr();
  resize();

  const api = {
    load, setWindow, applyPreset, setInvert, setSlice, step, zoomBy, fit, oneToOne, panBy,
    setSmoothing: (on) => { state.smoothing = Boolean(on); draw(); },
    play: (fps) => { if (fps) cine.setFps(fps); setCine(true); }, stop: () => setCine(false), setFps,
    toggleFullscreen, toggleHelp, reset, runAction, getState, displayContext, valueAt, localise,
    /** Canvas device-pixel position of image point (x, y); add 0.5 for a pixel's centre. */
    imageToCanvas: (x, y) => view.toCanvas(x, y),
    canvasToImage: (x, y) => view.toImage(x, y),
    get canvas() { return canvas; },
    get presets() { return state.presets.slice(); },
    destroy() {
      state.destroyed = true;
      if (abort) abort.abort();
      cine.stop();
      unbindInput();
      container.removeEventListener("click", onClick);
      document.removeEventListener("fullscreenchange", onFullscreenChange);
      if (dprQuery) dprQuery.removeEventListener("change", onDprChange);
      observer.disconnect();
      container.replaceChildren();
      container.classList.remove("viewer", "is-fullscreen");
    },
  };
  if (options.images) api.ready = load(options.images, options.index || 0);
  return api;
}
