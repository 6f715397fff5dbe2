// The reading page: one trial at a time on the shared viewer, rated from the keyboard, and every
// rating kept until the server acknowledges it.
//
// Never lose a rating, never count one twice: each rating gets a UUID made here; it is written to
// localStorage before it is sent, resent with back-off until the server answers (201 new, 200
// already stored), and only then removed. The page keeps a few trials ahead, their images fetched
// into memory, so reading goes on while the network is down; the banner says so.
//
// Keys: 1–N rate (1 = definitely real; 2-AFC: definitely the left image is real), ←/→ move along the
// scale in 2-AFC, Enter confirms, space resets window and zoom. The viewer keeps +/−, i, Esc and
// Shift+arrows; on this page the digit keys rate, so W cycles the window presets instead.
import { createViewer } from "./viewer/index.js";

const config = JSON.parse(document.getElementById("reading-config").textContent);
const root = document.getElementById("reading");
const apiBase = `/api/studies/${config.study}`;
const storeKey = `radturing:pending:${config.study}`;
const LOOKAHEAD_IMAGES = new Map(); // url -> Promise<blob url>

const els = {
  counter: root.querySelector("[data-counter]"),
  stages: root.querySelector("[data-stages]"),
  scale: root.querySelector("[data-scale]"),
  status: root.querySelector("[data-network]"),
  feedback: root.querySelector("[data-feedback]"),
  done: root.querySelector("[data-done]"),
  realism: root.querySelector("[data-realism]"),
  tellText: root.querySelector("[data-tell-text]"),
};

const state = {
  trials: new Map(), // position -> trial payload
  rated: new Set(), // positions rated here (pending or acknowledged)
  total: 0,
  current: null,
  choice: null,
  shownAt: 0,
  viewers: [],
  tell: null,
  timer: null,
  sending: false,
  backoff: 1000,
  serverDone: false,
  waiting: null,
  preset: 0,
  showSeq: 0,
  keyAt: null,
  view: null, // the trial on screen
  prepared: null, // Promise of the next trial's hidden view
};

// --- pending ratings, kept across reloads ----------------------------------------------------
function pending() {
  try { return JSON.parse(localStorage.getItem(storeKey) || "[]"); } catch { return []; }
}
function savePending(list) { localStorage.setItem(storeKey, JSON.stringify(list)); }

function learn(payload) {
  if (!payload) return;
  if (payload.rating_key) state.ratingKey = payload.rating_key; // the rating endpoint's key (no session)
  state.total = payload.total ?? state.total;
  if (payload.done) state.serverDone = true;
  state.waiting = payload.waiting || null; // the next session's washout has not passed yet
  for (const trial of payload.trials || []) {
    if (!state.rated.has(trial.position) && !state.trials.has(trial.position)) {
      state.trials.set(trial.position, trial);
      for (const image of trial.images) prefetch(image.masterUrl);
    }
  }
}

function prefetch(url) {
  if (!LOOKAHEAD_IMAGES.has(url)) {
    const promise = fetch(url, { credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error(`image ${r.status}`); return r.blob(); })
      .then((blob) => URL.createObjectURL(blob));
    promise.catch(() => LOOKAHEAD_IMAGES.delete(url));
    LOOKAHEAD_IMAGES.set(url, promise);
  }
  return LOOKAHEAD_IMAGES.get(url);
}

function setNetwork(text, kind) {
  els.status.textContent = text;
  els.status.dataset.state = kind;
}

async function flush() {
  if (state.sending) return;
  state.sending = true;
  let retry = false;
  try {
    while (pending().length) {
      const rating = pending()[0];
      let response;
      try {
        response = await fetch(`${apiBase}/ratings/`, {
          method: "POST", credentials: "omit",
          headers: { "Content-Type": "application/json", "X-Rating-Key": state.ratingKey },
          body: JSON.stringify(rating),
        });
      } catch {
        setNetwork(`Offline — ${pending().length} rating(s) kept on this device, retrying…`, "offline");
        retry = true;
        break;
      }
      if (response.status >= 500) {
        setNetwork("The server is busy — retrying…", "offline");
        retry = true;
        break;
      }
      if (response.status === 401) {
        // The key expired (a long pause): fetch a new one with the session; the rating stays pending.
        setNetwork("Reconnecting…", "offline");
        await refill();
        retry = true;
        break;
      }
      const body = await response.json().catch(() => ({}));
      savePending(pending().filter((r) => r.client_id !== rating.client_id));
      if (response.ok) {
        state.backoff = 1000;
        if (body.feedback) showFeedback(body.feedback);
      } else {
        // Refused for good (the study closed, a bad value): say so; resending cannot help.
        setNetwork(body.detail || `The server refused a rating (${response.status}).`, "error");
      }
    }
  } finally {
    state.sending = false;
  }
  if (retry) {
    setTimeout(flush, state.backoff);
    state.backoff = Math.min(state.backoff * 2, 30000);
  } else if (els.status.dataset.state !== "error") {
    setNetwork("All ratings saved.", "ok");
  }
  if (!state.current) showNext();
}

async function refill() {
  try {
    const response = await fetch(`${apiBase}/reading/`, { credentials: "same-origin" });
    if (response.ok) learn(await response.json());
  } catch { /* offline: the lookahead carries on */ }
}

// --- showing a trial -------------------------------------------------------------------------
function nextPosition() {
  const open = [...state.trials.keys()].filter((p) => !state.rated.has(p)).sort((a, b) => a - b);
  return open.length ? open[0] : null;
}

// A trial's viewers, built hidden ahead of time: decoding a 16-bit master takes tens of ms, so the
// next trial is decoded while the reader rates this one and only has to be unhidden.
async function buildView(trial) {
  const urls = await Promise.all(trial.images.map((image) => prefetch(image.masterUrl).catch(() => image.masterUrl)));
  const el = document.createElement("div");
  el.className = "reading-trial";
  el.dataset.count = String(trial.images.length);
  el.hidden = true;
  els.stages.appendChild(el);
  const view = { position: trial.position, el, viewers: [], tell: null };
  view.ready = Promise.all(trial.images.map((image, i) => new Promise((resolve) => {
    const stage = el.appendChild(document.createElement("div"));
    stage.className = "reading-stage";
    stage.dataset.side = trial.images.length === 2 ? (i === 0 ? "left" : "right") : "single";
    view.viewers.push(createViewer(stage, {
      images: [{ masterUrl: urls[i], meta: image.meta }], keyboard: trial.images.length === 2 ? "focus" : "document",
      label: trial.images.length === 2 ? (i === 0 ? "Left image" : "Right image") : "Image to rate",
      onEvent: (event) => {
        if (event.type === "point" && config.askTells && state.current?.position === trial.position) {
          state.tell = { x: event.x / image.meta.width, y: event.y / image.meta.height };
        }
        if (event.type === "ready" || event.type === "error") resolve();
      },
    }));
  })));
  return view;
}

function dropView(view) {
  if (!view) return;
  for (const viewer of view.viewers) viewer.destroy();
  view.el.remove();
}

function upcomingPosition(after) {
  const open = [...state.trials.keys()].filter((p) => !state.rated.has(p) && p > after).sort((a, b) => a - b);
  return open.length ? open[0] : null;
}

async function showNext() {
  const seq = (state.showSeq += 1); // a later call supersedes this one (it shows the same or a newer trial)
  clearTimeout(state.timer);
  const position = nextPosition();
  if (state.view && state.view.position !== position) { dropView(state.view); state.view = null; }
  if (position === null) {
    state.current = null;
    if (state.serverDone && !pending().length) {
      els.stages.hidden = true; els.scale.hidden = true; els.done.hidden = false;
      els.counter.textContent = `${state.total} of ${state.total}`;
    } else if (state.waiting && !pending().length) {
      els.counter.textContent = state.waiting;
      els.scale.hidden = true;
    } else {
      els.counter.textContent = "Waiting for the next image…";
      if (navigator.onLine) refill().then(() => { if (nextPosition() !== null || state.serverDone) showNext(); });
    }
    return;
  }
  const trial = state.trials.get(position);
  // The trial becomes current only once its images are on screen: a key never rates an unseen image.
  state.current = null;
  let view = state.view && state.view.position === position ? state.view : null;
  if (!view && state.prepared && state.prepared.position === position) view = await state.prepared;
  if (!view) view = await buildView(trial);
  if (seq !== state.showSeq) { if (view !== state.view) dropView(view); return; }
  if (state.prepared && (await state.prepared) === view) state.prepared = null;
  state.view = view;
  await view.ready;
  if (seq !== state.showSeq) return;
  for (const other of els.stages.querySelectorAll(".reading-trial")) other.hidden = other !== view.el;
  state.viewers = view.viewers;
  state.current = trial;
  state.choice = null;
  state.tell = null;
  if (els.tellText) els.tellText.value = "";
  if (els.realism) els.realism.value = "";
  renderScale();
  els.counter.textContent = `${trial.number} of ${state.total}`;
  const keyAt = state.keyAt;
  state.keyAt = null;
  requestAnimationFrame(() => {
    // benchmarks/reading.py reads these: confirming key → the frame with the next image.
    if (keyAt !== null) (window.radturingKeyToPaintMs ||= []).push(performance.now() - keyAt);
    root.dataset.painted = String(trial.position);
    // Decode the next trial only after this one is on screen, so the decode never delays the paint.
    setTimeout(() => { if (state.current === trial) prepareAfter(trial.position); }, 0);
  });
  state.shownAt = performance.now();
  if (config.timeLimitSeconds) {
    state.timer = setTimeout(() => submit(true), config.timeLimitSeconds * 1000);
  }
  // Keep the lookahead topped up while online.
  if ([...state.trials.keys()].filter((p) => !state.rated.has(p)).length < 3) refill();
}

function prepareAfter(position) {
  const next = upcomingPosition(position);
  if (next === null) return;
  if (state.prepared) {
    state.prepared.then((view) => { if (view.position !== next && view !== state.view) dropView(view); });
  }
  state.prepared = buildView(state.trials.get(next));
}

function showFeedback(feedback) {
  els.feedback.hidden = false;
  els.feedback.textContent = `${feedback.correct ? "Correct." : "Not quite."} ${feedback.truth}`;
  els.feedback.dataset.correct = String(feedback.correct);
}

// --- the rating scale ------------------------------------------------------------------------
function scaleLabels() {
  const n = config.levels;
  const [low, high] = config.design === "2afc" ? ["left is real", "right is real"] : ["real", "synthetic"];
  return Array.from({ length: n }, (_, i) => {
    const k = i + 1;
    const half = n / 2;
    const sure = k <= half ? half - k : k - half - 1; // 0 = least sure
    const words = ["perhaps", "probably", "likely", "very likely"]; // least sure first
    const word = sure === half - 1 ? "definitely" : (words[sure] || "probably");
    return `${word} ${k <= half ? low : high}`;
  });
}

function renderScale() {
  const labels = scaleLabels();
  els.scale.replaceChildren(...labels.map((label, i) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.level = String(i + 1);
    button.innerHTML = `<kbd>${i + 1}</kbd> ${label}`;
    button.addEventListener("click", () => { choose(i + 1); submit(false); });
    return button;
  }));
}

function choose(level) {
  state.choice = level;
  for (const button of els.scale.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(Number(button.dataset.level) === level));
  }
}

function submit(timedOut) {
  const trial = state.current;
  if (!trial || (!timedOut && state.choice === null)) return;
  clearTimeout(state.timer);
  const rating = {
    client_id: crypto.randomUUID(), position: trial.position,
    confidence: timedOut ? null : state.choice, timed_out: Boolean(timedOut),
    client_ms: Math.round(performance.now() - state.shownAt),
    display: state.viewers[0] ? state.viewers[0].displayContext() : {},
  };
  if (config.askRealism && els.realism && els.realism.value) rating.realism = Number(els.realism.value);
  if (config.askTells) {
    if (els.tellText && els.tellText.value.trim()) rating.tell_text = els.tellText.value.trim();
    if (state.tell) { rating.tell_x = state.tell.x; rating.tell_y = state.tell.y; }
  }
  state.keyAt = performance.now();
  savePending([...pending(), rating]); // on disk before it is sent
  state.rated.add(trial.position);
  els.feedback.hidden = true;
  showNext();
  flush();
}

// Digits and Enter rate; capture phase so the viewer's digit presets never see them here.
window.addEventListener("keydown", (event) => {
  if (event.target.closest && event.target.closest("input, textarea, select")) return;
  if (!state.current) return;
  const level = Number(event.key);
  if (Number.isInteger(level) && level >= 1 && level <= config.levels) {
    choose(level);
  } else if (event.key === "Enter" && state.choice !== null) {
    submit(false);
  } else if (config.design === "2afc" && (event.key === "ArrowLeft" || event.key === "ArrowRight") && !event.shiftKey) {
    const start = state.choice ?? (event.key === "ArrowLeft" ? config.levels / 2 + 1 : config.levels / 2);
    choose(Math.min(config.levels, Math.max(1, start + (event.key === "ArrowLeft" ? -1 : 1))));
  } else if (event.key === " ") {
    for (const viewer of state.viewers) viewer.reset(); // OHIF's space: back to the opening window and zoom
  } else if (event.key === "w" || event.key === "W") {
    state.preset = (state.preset + 1) % Math.max(1, (state.viewers[0]?.presets || []).length);
    for (const viewer of state.viewers) viewer.applyPreset(state.preset);
  } else {
    return;
  }
  event.preventDefault();
  event.stopImmediatePropagation();
}, { capture: true });

window.addEventListener("online", () => { state.backoff = 1000; flush(); });
window.addEventListener("offline", () => setNetwork("Offline — ratings are kept on this device.", "offline"));

// Ratings left from a closed tab count as rated here, then go out first.
for (const rating of pending()) state.rated.add(rating.position);
learn(config.first);
showNext();
flush();
