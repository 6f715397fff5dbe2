// Buttons for every keyboard action, so the viewer works with a mouse, a keyboard or a screen
// reader alike. Each button carries `data-action` (run through viewer.runAction) and the shortcut
// in aria-keyshortcuts and its tooltip.
import { el } from "./overlay.js";
import { MAX_FPS, MIN_FPS } from "./cine.js";

const BUTTONS = [
  { action: "invert", text: "Invert", label: "Invert grey scale", keys: "I", toggle: true },
  { action: "zoomOut", text: "−", label: "Zoom out", keys: "-" },
  { action: "zoomIn", text: "+", label: "Zoom in", keys: "+" },
  { action: "fit", text: "Fit", label: "Fit image to the view", keys: "0" },
  { action: "oneToOne", text: "1:1", label: "Original size, one image pixel per screen pixel", keys: "O" },
  { action: "smoothing", text: "Smooth", label: "Smooth pixels (off: nearest neighbour)", keys: "S", toggle: true },
  { action: "prev", text: "▲", label: "Previous image", keys: "ArrowUp", series: true },
  { action: "next", text: "▼", label: "Next image", keys: "ArrowDown", series: true },
  { action: "cine", text: "Cine", label: "Play the series as a movie", keys: "C", toggle: true, series: true },
  { action: "fullscreen", text: "Full screen", label: "Full screen", keys: "F", toggle: true },
  { action: "reset", text: "Reset", label: "Reset window, zoom and invert", keys: "Escape" },
  { action: "help", text: "?", label: "Keyboard shortcuts", keys: "Shift+?", toggle: true },
];

export class Toolbar {
  constructor(parent, id) {
    this.node = parent.appendChild(el("div", { class: "viewer-toolbar", role: "toolbar", "aria-label": "Image viewer tools" }));
    this.presetGroup = this.node.appendChild(el("div", { class: "viewer-presets", role: "group", "aria-label": "Window presets" }));
    this.buttons = {};
    for (const spec of BUTTONS) {
      const button = this.node.appendChild(el("button", {
        type: "button", "data-action": spec.action, "aria-label": spec.label,
        "aria-keyshortcuts": spec.keys, title: `${spec.label} (${spec.keys.replace("Shift+", "")})`,
      }, spec.text));
      if (spec.toggle) button.setAttribute("aria-pressed", "false");
      if (spec.series) button.dataset.series = "";
      this.buttons[spec.action] = button;
      if (spec.action === "cine") {
        const label = this.node.appendChild(el("label", { class: "viewer-fps", for: `${id}-fps`, "data-series": "" }, "fps "));
        this.fps = label.appendChild(el("input", { type: "number", id: `${id}-fps`, min: String(MIN_FPS), max: String(MAX_FPS), step: "1", "aria-label": "Cine frames per second" }));
      }
    }
  }

  setPresets(presets) {
    this.presetGroup.replaceChildren(...presets.map((p, i) => {
      const key = i < 9 ? String(i + 1) : "";
      return el("button", {
        type: "button", "data-action": "preset", "data-preset": String(i), "aria-pressed": "false",
        "aria-label": `${p.name} window, W ${p.width} L ${p.center}`, ...(key ? { "aria-keyshortcuts": key, title: `${p.name} (${key})` } : {}),
      }, p.name);
    }));
  }

  update(state, seriesLength) {
    const pressed = { invert: state.invert, smoothing: state.smoothing, cine: state.cine.playing, fullscreen: state.fullscreen, help: state.help };
    for (const [action, on] of Object.entries(pressed)) this.buttons[action].setAttribute("aria-pressed", String(Boolean(on)));
    for (const b of this.presetGroup.querySelectorAll("button")) {
      b.setAttribute("aria-pressed", String(state.presetIndex === Number(b.dataset.preset)));
    }
    for (const node of this.node.querySelectorAll("[data-series]")) node.hidden = seriesLength < 2;
    if (document.activeElement !== this.fps) this.fps.value = String(state.cine.fps);
  }
}
