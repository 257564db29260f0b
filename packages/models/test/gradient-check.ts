/**
 * Central finite-difference gradient check (in the spirit of Stan's `test_gradients.hpp`):
 * compares the analytic gradient of a log density with (f(θ + h e_i) − f(θ − h e_i)) / 2h and,
 * on failure, returns a table: index, name, value, analytic, finite difference.
 */
export interface GradientTarget {
  dim: number;
  parameterNames?: readonly string[];
  logDensityAndGradient(theta: Float64Array, gradOut: Float64Array): number;
}

export interface GradientCheck {
  ok: boolean;
  maxError: number;
  table: string;
}

export function checkGradient(
  target: GradientTarget,
  theta: Float64Array,
  { h = 1e-6, absTol = 1e-5, relTol = 1e-5 }: { h?: number; absTol?: number; relTol?: number } = {},
): GradientCheck {
  const d = target.dim;
  const grad = new Float64Array(d);
  const scratch = new Float64Array(d);
  const lp = target.logDensityAndGradient(theta, grad);
  const rows: string[] = [];
  let ok = Number.isFinite(lp);
  let maxError = 0;
  const x = Float64Array.from(theta);
  for (let i = 0; i < d; i++) {
    const step = h * Math.max(1, Math.abs(theta[i]!));
    x[i] = theta[i]! + step;
    const up = target.logDensityAndGradient(x, scratch);
    x[i] = theta[i]! - step;
    const down = target.logDensityAndGradient(x, scratch);
    x[i] = theta[i]!;
    const fd = (up - down) / (2 * step);
    const err = Math.abs(fd - grad[i]!);
    const bad = !(err <= absTol + relTol * Math.max(Math.abs(fd), Math.abs(grad[i]!)));
    maxError = Math.max(maxError, err);
    if (bad) ok = false;
    rows.push(
      `${String(i).padStart(4)}  ${(target.parameterNames?.[i] ?? '').padEnd(40)} ${theta[i]!.toFixed(6).padStart(12)} ${grad[i]!.toExponential(9).padStart(17)} ${fd.toExponential(9).padStart(17)}${bad ? '  <-- MISMATCH' : ''}`,
    );
  }
  const header = `index  ${'name'.padEnd(40)} ${'value'.padStart(12)} ${'analytic'.padStart(17)} ${'finite diff'.padStart(17)}`;
  return { ok, maxError, table: `lp = ${lp}\n${header}\n${rows.join('\n')}` };
}
