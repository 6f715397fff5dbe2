// Upload page: drag and drop plus per-file progress. Without JavaScript the form posts all files at
// once to the server (keyboard-usable file input); with it, each file goes in its own request to
// /api/uploads/<id>/files/ with its own progress bar, then the upload is submitted for ingest.
// The refusals read as the server's (imaging/uploads.py), which both doors show.
// On the ingest report page, the report is reloaded once the ingest job has finished.

const form = document.getElementById("upload-form");

function fmtBytes(n) {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

function csrf() {
  const input = form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function showError(text) {
  const el = document.getElementById("upload-error");
  el.textContent = text;
  el.hidden = !text;
}

async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST", body, credentials: "same-origin",
    headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.detail || JSON.stringify(data) || response.statusText);
  return data;
}

function sendFile(url, file, bar, status) {
  // XMLHttpRequest, not fetch: only it reports upload progress.
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrf());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.addEventListener("load", () => {
      let data = {};
      try { data = JSON.parse(xhr.responseText); } catch (err) { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) {
        bar.value = 100;
        status.textContent = data.status === "rejected" ? `rejected: ${data.reason}` : "uploaded";
        resolve(true);
      } else {
        status.textContent = `failed: ${data.detail || xhr.statusText}`;
        resolve(false);
      }
    });
    xhr.addEventListener("error", () => { status.textContent = "failed: network error"; resolve(false); });
    const body = new FormData();
    body.append("file", file, file.name);
    xhr.send(body);
  });
}

function setUpUploadForm() {
  const input = form.querySelector("input[type=file]");
  const zone = document.getElementById("drop-zone");
  const list = document.getElementById("upload-files");
  const maxFile = Number(form.dataset.maxFileBytes);
  const maxUpload = Number(form.dataset.maxUploadBytes);
  let files = [];

  function render() {
    list.replaceChildren();
    files.forEach((file, i) => {
      const li = document.createElement("li");
      const label = document.createElement("span");
      label.textContent = `${file.name} (${fmtBytes(file.size)})`;
      const bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", `Upload progress of ${file.name}`);
      const status = document.createElement("span");
      status.className = "small";
      status.textContent = file.size > maxFile ? `over the ${fmtBytes(maxFile)} limit per file` : "";
      const remove = document.createElement("button");
      remove.type = "button"; remove.className = "link"; remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove ${file.name}`);
      remove.addEventListener("click", () => { files.splice(i, 1); render(); });
      li.append(label, bar, status, remove);
      li._bar = bar; li._status = status; li._remove = remove;
      list.append(li);
    });
  }

  function add(newFiles) {
    files = files.concat(Array.from(newFiles));
    render();
  }

  input.addEventListener("change", () => { add(input.files); input.value = ""; });
  ["dragenter", "dragover"].forEach((type) => zone.addEventListener(type, (e) => {
    e.preventDefault(); zone.classList.add("dragging");
  }));
  ["dragleave", "drop"].forEach((type) => zone.addEventListener(type, () => zone.classList.remove("dragging")));
  zone.addEventListener("drop", (e) => { e.preventDefault(); add(e.dataTransfer.files); });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showError("");
    if (!files.length) { showError("Choose at least one file to upload."); return; }
    const total = files.reduce((sum, f) => sum + f.size, 0);
    if (total > maxUpload) {
      showError(`The upload is ${fmtBytes(total)}; the limit is ${fmtBytes(maxUpload)} per upload: split it into smaller uploads.`);
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const options = new FormData();
      for (const name of ["collection", "collection_name", "modality"]) {
        const field = form.elements[name];
        if (field && field.value) options.append(name, field.value);
      }
      options.append("keep_originals", form.elements.keep_originals.checked ? "true" : "false");
      options.append("start", "false");
      const upload = await postJSON(form.dataset.apiUrl, options);
      const items = Array.from(list.children);
      let sent = 0;
      for (let i = 0; i < files.length; i += 1) {
        items[i]._remove.hidden = true;
        if (await sendFile(`${form.dataset.apiUrl}${upload.id}/files/`, files[i], items[i]._bar, items[i]._status)) sent += 1;
      }
      if (!sent) throw new Error("No file could be uploaded.");
      await postJSON(`${form.dataset.apiUrl}${upload.id}/start/`, new FormData());
      window.location.assign(`${form.action.replace(/upload\/$/, "")}uploads/${upload.id}/`);
    } catch (err) {
      showError(`The upload failed: ${err.message}`);
      button.disabled = false;
    }
  });
}

if (form) setUpUploadForm();

// Ingest report page: reload when the job finishes, so that the per-file report appears.
const report = document.querySelector("[data-reload-when-finished]");
if (report) {
  document.addEventListener("job:finished", () => window.location.reload());
}
