// Generation job page: shows the training details (step, losses, ETA) and the newest sample grid
// while job_progress.js keeps the progress bar; reloads once the job ends to show what it made.
const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);
const POLL_MS = 2000;

function formatEta(seconds) {
  if (seconds === undefined || seconds === null) return "—";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${String(m).padStart(2, "0")} min` : `${m} min ${String(s % 60).padStart(2, "0")} s`;
}

function render(root, job) {
  const d = job.details || {};
  const set = (name, text) => { const el = root.querySelector(`[data-detail="${name}"]`); if (el) el.textContent = text; };
  if (d.step !== undefined) set("step", d.step);
  if (d.total_steps !== undefined) set("total_steps", d.total_steps);
  if (d.losses) set("losses", Object.entries(d.losses).map(([k, v]) => `${k} ${Number(v).toFixed(4)}`).join("  "));
  if (d.images_per_s !== undefined) set("images_per_s", Number(d.images_per_s).toFixed(1));
  set("eta_s", job.is_finished ? "—" : formatEta(d.eta_s));
  if (d.resumed_from_step !== undefined) set("resumed_from_step", d.resumed_from_step);
  const img = root.querySelector("#sample-grid");
  if (img && d.sample_step && String(d.sample_step) !== img.dataset.step) {
    img.dataset.step = d.sample_step;
    img.src = `${img.dataset.src}?step=${d.sample_step}`;
    img.hidden = false;
    set("sample_step", d.sample_step);
  }
}

async function poll(root, url) {
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.ok) {
      const job = await response.json();
      render(root, job);
      if (TERMINAL.has(job.status)) {
        if (!TERMINAL.has(root.dataset.status)) window.location.reload();  // show the results
        root.dataset.status = job.status;
      } else {
        root.dataset.status = job.status;
      }
    }
  } catch (err) { /* try again on the next tick */ }
  setTimeout(() => poll(root, url), TERMINAL.has(root.dataset.status) ? 5 * POLL_MS : POLL_MS);
}

const root = document.getElementById("generation-job");
const progress = root && root.querySelector(".job-progress");
if (root && progress) poll(root, progress.dataset.jobUrl);
