// Image detail page: keep the address bar on the image being shown, so that a link copied after
// scrolling through a series opens that image.
const element = document.getElementById("image-viewer");
const source = element && document.getElementById(element.dataset.viewerConfig);
const template = source ? JSON.parse(source.textContent).detailUrl : null;

if (template) {
  element.addEventListener("viewer:slice", (event) => {
    if (event.detail.token) history.replaceState(null, "", template.replace("__token__", encodeURIComponent(event.detail.token)));
  });
}
