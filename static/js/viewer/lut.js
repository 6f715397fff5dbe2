// Window/level: a lookup table from stored sample (0..2^depth-1) to an opaque grey RGBA pixel,
// rebuilt only when the window changes, so that drawing a slice is one table look-up per pixel.
//
// The grey level follows the DICOM linear VOI LUT function (PS3.3 C.11.2.1.2.1), applied to the
// modality value m = stored * slope + intercept (HU for CT):
//   m <= c - 0.5 - (w-1)/2  -> 0
//   m >  c - 0.5 + (w-1)/2  -> 255
//   otherwise               -> ((m - (c - 0.5)) / (w - 1) + 0.5) * 255, rounded
// Invert (MONOCHROME1-style display) maps y to 255 - y.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([0x0a0b0c0d]).buffer)[0] === 0x0d;

/** Grey level (0..255) of modality value m in window (center, width): the DICOM linear function. */
export function windowGrey(m, center, width) {
  const w = Math.max(width, 1);
  const low = center - 0.5 - (w - 1) / 2;
  const high = center - 0.5 + (w - 1) / 2;
  if (m <= low) return 0;
  if (m > high) return 255;
  return Math.round(((m - (center - 0.5)) / (w - 1) + 0.5) * 255);
}

/**
 * A Uint32Array of packed RGBA pixels, one per stored value.
 * @param {{depth:number, slope:number, intercept:number, center:number, width:number, invert:boolean}} o
 */
export function buildLut({ depth, slope, intercept, center, width, invert }) {
  const size = 1 << depth;
  const lut = new Uint32Array(size);
  for (let v = 0; v < size; v += 1) {
    let g = windowGrey(v * slope + intercept, center, width);
    if (invert) g = 255 - g;
    lut[v] = LITTLE_ENDIAN ? (0xff000000 | (g << 16) | (g << 8) | g) >>> 0 : ((g << 24) | (g << 16) | (g << 8) | 0xff) >>> 0;
  }
  return lut;
}

/** Write samples through the LUT into an ImageData of the same size. */
export function applyLut(samples, lut, imageData) {
  const out = new Uint32Array(imageData.data.buffer);
  for (let i = 0; i < samples.length; i += 1) out[i] = lut[samples[i]];
  return imageData;
}
