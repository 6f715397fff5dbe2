// Mounts a viewer on every element rendered by templates/imaging/viewer.html: the element's
// `data-viewer-config` names a json_script holding createViewer's options. The instance is kept on
// the element (`element.viewer`) for page scripts, which can also listen for `viewer:*` events.
import { createViewer } from "./index.js";

export function mountViewers(root = document) {
  for (const element of root.querySelectorAll("[data-viewer-config]")) {
    if (element.viewer) continue;
    const source = document.getElementById(element.dataset.viewerConfig);
    const options = source ? JSON.parse(source.textContent) : {};
    element.viewer = createViewer(element, options);
    element.dispatchEvent(new CustomEvent("viewer:mounted", { bubbles: true, detail: { viewer: element.viewer } }));
  }
}

mountViewers();
document.addEventListener("htmx:afterSwap", (event) => mountViewers(event.target));
