// Cine: steps through the series at a set frame rate on requestAnimationFrame, waiting on a slice
// that has not finished loading rather than skipping it.
export const MIN_FPS = 1;
export const MAX_FPS = 60;

export class Cine {
  /** @param {() => boolean} advance  moves one slice on; returns false when it could not (not loaded yet) */
  constructor(advance, fps = 10) {
    this.advance = advance;
    this.fps = fps;
    this.playing = false;
    this._frame = 0;
    this._last = 0;
    this._tick = (now) => {
      if (!this.playing) return;
      if (now - this._last >= 1000 / this.fps && this.advance()) this._last = now;
      this._frame = requestAnimationFrame(this._tick);
    };
  }

  setFps(fps) {
    this.fps = Math.min(MAX_FPS, Math.max(MIN_FPS, Math.round(Number(fps) || this.fps)));
    return this.fps;
  }

  start() {
    if (this.playing) return;
    this.playing = true;
    this._last = performance.now();
    this._frame = requestAnimationFrame(this._tick);
  }

  stop() {
    this.playing = false;
    cancelAnimationFrame(this._frame);
  }
}
