// Gradient checks against central finite differences (in the spirit of Stan's
// test_gradients.hpp). On failure the thrown error carries a table:
// index, value, analytic, finite diff, |error|, tolerance.

export interface GradCheckOptions {
  /** Absolute step; default 1e-6 · max(1, |p|). */
  h?: number;
  /** Relative tolerance; default 1e-5. */
  rtol?: number;
  /** Absolute tolerance; default 1e-7. */
  atol?: number;
}

/**
 * Compares `analytic[i] = ∂f_i/∂p` at `p` with (f(p+h) − f(p−h)) / 2h, where `evaluate(q, out)`
 * writes f(q) into `out`. Throws an Error whose message is the comparison table if any entry
 * differs by more than atol + rtol · max(|analytic|, |fd|) or is not finite.
 */
export function expectGradientMatches(
  label: string,
  p: number,
  evaluate: (q: number, out: Float64Array) => void,
  analytic: Float64Array,
  options: GradCheckOptions = {},
): void {
  const n = analytic.length;
  const h = options.h ?? 1e-6 * Math.max(1, Math.abs(p));
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-7;
  const value = new Float64Array(n);
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  evaluate(p, value);
  evaluate(p + h, plus);
  evaluate(p - h, minus);
  const rows: string[] = [];
  let failed = false;
  for (let i = 0; i < n; i++) {
    const fd = (plus[i]! - minus[i]!) / (2 * h);
    const an = analytic[i]!;
    const err = Math.abs(an - fd);
    const tol = atol + rtol * Math.max(Math.abs(an), Math.abs(fd));
    const bad = !Number.isFinite(an) || !(err <= tol);
    if (bad) failed = true;
    rows.push(
      [
        String(i).padStart(5),
        fmt(value[i]!),
        fmt(an),
        fmt(fd),
        fmt(err),
        fmt(tol),
        bad ? '  <-- FAIL' : '',
      ].join(' '),
    );
  }
  if (failed) {
    const header = ['index', 'value', 'analytic', 'finite diff', '|error|', 'tolerance']
      .map((s, j) => (j === 0 ? s.padStart(5) : s.padStart(14)))
      .join(' ');
    throw new Error(
      `gradient check failed for ${label} at p = ${p} (central difference, h = ${h}, rtol = ${rtol}, atol = ${atol})\n` +
        `${header}\n${rows.join('\n')}`,
    );
  }
}

function fmt(v: number): string {
  return (Number.isFinite(v) ? v.toExponential(6) : String(v)).padStart(14);
}
