/**
 * The uniform stream of one block of y_rep draws (draw-pass.ts `yRepBlockUniform`): xor4096
 * (R. P. Brent 2007, "Some long-period random number generators using shifts and xors") exactly
 * as the `seedrandom` package implements it for a string seed and as `buildRng(seed).uniform()`
 * of @tributary/sampler reads it (`prng.double()`: 53 bits from two outputs, never 0) — the same
 * numbers (test/draw-pass.test.ts compares them with `buildRng`).
 *
 * Why not `buildRng` itself: a pass re-seeds the stream at every block of draws, and a new
 * `buildRng` per block means a new closure (seedrandom's per-instance `prng.double`) and a new
 * `() => rng.uniform()` at every call site of `DrawView.yRep` and the ziggurat: polymorphic
 * calls that V8 stops inlining, ≈ 1.5× the cost of y_rep in a profile. Here one object is
 * re-seeded in place (`reseed`) and `uniform` is one bound function for the whole pass.
 */
export class BlockUniform {
  private readonly X = new Int32Array(128);
  private w = 0;
  private i = 0;
  /** The next uniform on (0, 1) of the current stream; one function for the object's life. */
  readonly uniform: () => number;

  constructor(seed: string) {
    this.reseed(seed);
    this.uniform = () => this.double();
  }

  /** Starts the stream of `seed` (seedrandom's xor4096 `init` for a string seed). */
  reseed(seed: string): void {
    const X = this.X;
    X.fill(0);
    const key = seed + '\0';
    const limit = Math.max(128, key.length);
    let v = 0;
    let w = 0;
    let t: number;
    let i = 0;
    for (let j = -32; j < limit; ++j) {
      v ^= key.charCodeAt((j + 32) % key.length);
      if (j === 0) w = v;
      v ^= v << 10;
      v ^= v >>> 15;
      v ^= v << 4;
      v ^= v >>> 13;
      if (j >= 0) {
        w = (w + 0x61c88647) | 0;
        t = X[j & 127]! ^ (v + w);
        X[j & 127] = t;
        i = t === 0 ? i + 1 : 0;
      }
    }
    if (i >= 128) X[key.length & 127] = -1;
    i = 127;
    for (let j = 4 * 128; j > 0; --j) {
      let a = X[(i + 34) & 127]!;
      i = (i + 1) & 127;
      let b = X[i]!;
      a ^= a << 13;
      b ^= b << 17;
      a ^= a >>> 15;
      b ^= b >>> 12;
      X[i] = a ^ b;
    }
    this.w = w;
    this.i = i;
  }

  private next(): number {
    const X = this.X;
    const w = (this.w = (this.w + 0x61c88647) | 0);
    let v = X[(this.i + 34) & 127]!;
    const i = (this.i = (this.i + 1) & 127);
    let t = X[i]!;
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v = X[i] = v ^ t;
    return (v + (w ^ (w >>> 16))) | 0;
  }

  private double(): number {
    for (;;) {
      const top = this.next() >>> 11;
      const bot = (this.next() >>> 0) / 0x100000000;
      const result = (top + bot) / (1 << 21);
      if (result !== 0) return result;
    }
  }
}
