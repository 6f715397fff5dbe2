// The report page: follow a running analysis (job_progress.js) and show the new report when it is done.
import { watchJobs } from "./job_progress.js";

document.addEventListener("job:finished", (event) => {
  if (event.detail && event.detail.status === "succeeded") window.location.reload();
});
watchJobs();
