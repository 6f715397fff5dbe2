// The view transform: image pixel (x, y) -> canvas device pixel (x * scale + tx, y * scale + ty).
// `scale` is device pixels per image pixel, so scale 1 is true 1:1 on any devicePixelRatio.

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 64;

export class ViewTransform {
  constructor() {
    this.scale = 1;
    this.tx = 0;
    this.ty = 0;
    this.fitted = true; // while true, a resize re-fits instead of keeping the user's zoom/pan
  }

  /** Scale the whole image into the canvas, centred. */
  fit(canvasW, canvasH, imageW, imageH) {
    this.scale = Math.max(MIN_SCALE, Math.min(canvasW / imageW, canvasH / imageH));
    this.tx = (canvasW - imageW * this.scale) / 2;
    this.ty = (canvasH - imageH * this.scale) / 2;
    this.fitted = true;
  }

  /** Zoom by `factor` keeping canvas point (px, py) over the same image point. */
  zoomAt(factor, px, py) {
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    const k = next / this.scale;
    this.tx = px - (px - this.tx) * k;
    this.ty = py - (py - this.ty) * k;
    this.scale = next;
    this.fitted = false;
  }

  /** Set an absolute scale around canvas point (px, py). */
  setScale(scale, px, py) { this.zoomAt(scale / this.scale, px, py); }

  panBy(dx, dy) {
    this.tx += dx;
    this.ty += dy;
    this.fitted = false;
  }

  toImage(cx, cy) { return { x: (cx - this.tx) / this.scale, y: (cy - this.ty) / this.scale }; }

  toCanvas(ix, iy) { return { x: ix * this.scale + this.tx, y: iy * this.scale + this.ty }; }
}
