// Default CT window presets (Hounsfield units) in the order of keys 1–5. Values from STACK.md's
// viewer expectations; the clinical reviewer signs them off there, not here.
export const CT_PRESETS = Object.freeze([
  { name: "Lung", center: -600, width: 1500 },
  { name: "Mediastinum", center: 50, width: 350 },
  { name: "Soft tissue", center: 40, width: 400 },
  { name: "Bone", center: 300, width: 2000 },
  { name: "Brain", center: 40, width: 80 },
]);

// CT masters are stored as HU + 1024 in unsigned 16-bit PNGs (the imaging store's contract).
export const CT_RESCALE = Object.freeze({ slope: 1, intercept: -1024 });
export const IDENTITY_RESCALE = Object.freeze({ slope: 1, intercept: 0 });
