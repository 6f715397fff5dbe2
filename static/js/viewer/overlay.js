// Text around the image: the status line (W/L, n/N, zoom, value under the cursor), the `?` list of
// shortcuts, and a polite live region that tells screen-reader users what a key press did.
import { GESTURES, KEYMAP } from "./keymap.js";

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

const fmt = (n) => String(Math.round(n)).replace("-", "−");

export class StatusLine {
  constructor(parent) {
    this.node = el("div", { class: "viewer-status", "aria-label": "Viewer status" });
    this.fields = {};
    for (const name of ["window", "slice", "zoom", "value", "flags"]) {
      this.fields[name] = this.node.appendChild(el("span", { "data-field": name }));
    }
    parent.appendChild(this.node);
  }

  update(state) {
    const { window: w, index, count, zoom, invert, cine, loading, preset } = state;
    this.fields.window.textContent = `W ${fmt(w.width)} L ${fmt(w.center)}${preset ? ` (${preset})` : ""}`;
    this.fields.slice.textContent = `${count ? index + 1 : 0}/${count}${loading ? " · loading…" : ""}`;
    this.fields.zoom.textContent = `${Math.round(zoom * 100)}%`;
    const flags = [];
    if (invert) flags.push("inverted");
    if (cine.playing) flags.push(`cine ${cine.fps} fps`);
    this.fields.flags.textContent = flags.join(" · ");
  }

  showValue(point) {
    this.fields.value.textContent = point
      ? `${point.unit} ${fmt(point.value)} @ ${Math.floor(point.x)}, ${Math.floor(point.y)}`
      : "";
  }
}

export class HelpOverlay {
  constructor(parent, id) {
    this.node = el("div", { class: "viewer-help", role: "dialog", "aria-modal": "false", "aria-labelledby": `${id}-help-title`, hidden: "" });
    const title = this.node.appendChild(el("h2", { id: `${id}-help-title` }, "Viewer shortcuts"));
    title.tabIndex = -1;
    const table = this.node.appendChild(el("table"));
    const body = table.appendChild(el("tbody"));
    for (const row of [...KEYMAP, ...GESTURES]) {
      const tr = body.appendChild(el("tr"));
      tr.appendChild(el("th", { scope: "row" })).appendChild(el("kbd", {}, row.label));
      tr.appendChild(el("td", {}, row.help));
    }
    this.node.appendChild(el("p", { class: "small" }, "Shortcuts are ignored while you type in a form field."));
    this.closeButton = this.node.appendChild(el("button", { type: "button", "data-action": "help", "aria-label": "Close the shortcut list" }, "Close"));
    parent.appendChild(this.node);
  }

  get open() { return !this.node.hidden; }

  toggle(force) {
    const open = force === undefined ? !this.open : force;
    this.node.hidden = !open;
    return open;
  }
}

export class Announcer {
  constructor(parent) {
    this.node = parent.appendChild(el("div", { class: "visually-hidden", "aria-live": "polite", role: "status" }));
    this._timer = 0;
  }

  // Debounced: holding ↓ through 50 slices should announce where it stopped, not every step.
  say(text) {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => { this.node.textContent = text; }, 250);
  }
}

export { el };
