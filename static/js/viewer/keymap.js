// The keyboard map: one table read by the key handler and by the `?` overlay, so the two never
// disagree. `keys` are KeyboardEvent.key values; `shift: true` entries need Shift held.
export const KEYMAP = [
  { keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9"], label: "1–9", action: "preset", help: "Window preset (CT: 1 lung, 2 mediastinum, 3 soft tissue, 4 bone, 5 brain)" },
  { keys: ["i", "I"], label: "I", action: "invert", help: "Invert grey scale" },
  { keys: ["+", "="], label: "+", action: "zoomIn", help: "Zoom in" },
  { keys: ["-", "_"], label: "−", action: "zoomOut", help: "Zoom out" },
  { keys: ["0"], label: "0", action: "fit", help: "Fit image to the view" },
  { keys: ["o", "O"], label: "O", action: "oneToOne", help: "Original size (1 image pixel : 1 screen pixel)" },
  { keys: ["ArrowUp"], label: "↑", action: "prev", help: "Previous image in the series" },
  { keys: ["ArrowDown"], label: "↓", action: "next", help: "Next image in the series" },
  { keys: ["PageUp"], label: "PgUp", action: "pageUp", help: "Back 10% of the series" },
  { keys: ["PageDown"], label: "PgDn", action: "pageDown", help: "Forward 10% of the series" },
  { keys: ["Home"], label: "Home", action: "first", help: "First image" },
  { keys: ["End"], label: "End", action: "last", help: "Last image" },
  { keys: ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"], shift: true, label: "Shift + arrows", action: "pan", help: "Pan" },
  { keys: ["c", "C"], label: "C", action: "cine", help: "Start / stop cine" },
  { keys: ["[", "]"], label: "[ ]", action: "fps", help: "Cine slower / faster" },
  { keys: ["s", "S"], label: "S", action: "smoothing", help: "Smooth / nearest-neighbour pixels" },
  { keys: ["f", "F"], label: "F", action: "fullscreen", help: "Full screen" },
  { keys: ["Escape"], label: "Esc", action: "reset", help: "Close this list, or reset window, zoom and invert" },
  { keys: ["?"], label: "?", action: "help", help: "Show / hide this list" },
];

// Mouse gestures, listed in the overlay after the keys.
export const GESTURES = [
  { label: "Left drag", help: "Window: right = wider, down = higher level (darker)" },
  { label: "Click", help: "Mark a point (reported to the page in image pixels)" },
  { label: "Wheel", help: "Next / previous image" },
  { label: "Ctrl + wheel", help: "Zoom around the cursor" },
  { label: "Middle / Shift drag", help: "Pan" },
];

const BY_KEY = new Map();
for (const entry of KEYMAP) {
  for (const key of entry.keys) BY_KEY.set(`${entry.shift ? "S+" : ""}${key}`, entry);
}

/** The KEYMAP entry for a keydown event, or undefined. Shift only matters for the arrow keys. */
export function entryFor(event) {
  if (event.shiftKey && event.key.startsWith("Arrow")) return BY_KEY.get(`S+${event.key}`);
  return BY_KEY.get(event.key);
}

/** True when the event comes from somewhere the user types: shortcuts must stay out of the way. */
export function isTypingTarget(target) {
  if (!target || !(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  return Boolean(target.closest("input, textarea, select"));
}
