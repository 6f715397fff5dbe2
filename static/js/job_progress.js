// Polls every .job-progress element's API URL until the job finishes, updating the bar in place.
// Fires a bubbling `job:finished` CustomEvent (detail = the job JSON) so pages can react.
const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);
const POLL_MS = 1500;

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function render(el, job) {
  el.dataset.status = job.status;
  el.querySelector("progress").value = job.progress;
  const set = (name, text) => { const f = el.querySelector(`[data-field="${name}"]`); if (f) f.textContent = text; };
  set("status", job.status.charAt(0).toUpperCase() + job.status.slice(1));
  set("message", job.message || "");
  set("percent", `${job.progress}%`);
  const status = el.querySelector('[data-field="status"]');
  if (status) status.className = `job-status status-${job.status}`;
  const error = el.querySelector('[data-field="error"]');
  if (error) { error.textContent = job.error || ""; error.hidden = !job.error; }
  document.querySelectorAll(".job-action").forEach((b) => {
    if (b.dataset.action === "cancel") b.hidden = job.is_finished;
    if (b.dataset.action === "resume") b.hidden = !(job.status === "failed" || job.status === "cancelled");
  });
}

async function poll(el) {
  try {
    const response = await fetch(el.dataset.jobUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.ok) {
      const job = await response.json();
      render(el, job);
      if (TERMINAL.has(job.status)) {
        el.dispatchEvent(new CustomEvent("job:finished", { bubbles: true, detail: job }));
        return;
      }
    }
  } catch (err) { /* network hiccup: try again on the next tick */ }
  setTimeout(() => poll(el), POLL_MS);
}

export function watchJobs(root = document) {
  root.querySelectorAll(".job-progress").forEach((el) => {
    if (el.dataset.watching) return;
    el.dataset.watching = "1";
    if (TERMINAL.has(el.dataset.status)) return;
    poll(el);
  });
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest(".job-action");
  if (!button) return;
  const el = document.querySelector(".job-progress");
  const response = await fetch(`${el.dataset.jobUrl}${button.dataset.action}/`, {
    method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
  });
  if (response.ok) { render(el, await response.json()); delete el.dataset.watching; watchJobs(); }
});

watchJobs();
document.addEventListener("htmx:afterSwap", (e) => watchJobs(e.target));
