// Fetches and decodes grayscale PNG masters (8- or 16-bit) with the vendored fast-png, keeping the
// full bit depth: the browser's own <img> decoding would squash 16-bit samples to 8 bits.
import { decode } from "../../vendor/fast-png/lib/index.js";

/**
 * Decode PNG bytes into one grayscale sample per pixel.
 * @param {ArrayBuffer|Uint8Array} bytes
 * @returns {{width:number, height:number, depth:number, samples:Uint8Array|Uint16Array, min:number, max:number}}
 */
export function decodeGrayscale(bytes) {
  const png = decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  if (png.depth !== 8 && png.depth !== 16) throw new Error(`unsupported PNG bit depth ${png.depth}`);
  if (png.palette) throw new Error("palette PNGs are not image masters");
  const { width, height, channels } = png;
  let samples = png.data;
  if (channels !== 1) {
    // Grey+alpha or colour: keep the first channel (masters are grayscale; this only makes a stray
    // colour file viewable rather than refused).
    samples = new samples.constructor(width * height);
    for (let i = 0, j = 0; i < samples.length; i += 1, j += channels) samples[i] = png.data[j];
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < samples.length; i += 1) {
    const v = samples[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { width, height, depth: png.depth, samples, min, max };
}

/** Fetch a master with the page's session cookie and decode it. */
export async function fetchGrayscale(url, { signal } = {}) {
  const response = await fetch(url, { credentials: "same-origin", signal });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return decodeGrayscale(await response.arrayBuffer());
}
