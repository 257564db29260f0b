// vmmin (optim BFGS) and constrOptim against R 4.x on textbook problems (values printed by R
// with sprintf("%.17g"); the R code is in each test).
import { describe, expect, it } from 'vitest';
import { constrOptim, vmmin } from '../src/optim.js';

describe("R's optim(method = 'BFGS') and constrOptim", () => {
  it('minimizes the Rosenbrock function like optim(c(-1.2, 1), fr, grr, method = "BFGS")', () => {
    // R: o <- optim(c(-1.2,1), fr, grr, method = "BFGS"); o$par, o$value, o$counts
    const fr = (x: Float64Array) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    const grr = (x: Float64Array, g: Float64Array) => {
      g[0] = -400 * x[0]! * (x[1]! - x[0]! ** 2) - 2 * (1 - x[0]!);
      g[1] = 200 * (x[1]! - x[0]! ** 2);
    };
    const r = vmmin([-1.2, 1], fr, grr);
    expect(r.par[0]).toBeCloseTo(0.99999999690491403, 12);
    expect(r.par[1]).toBeCloseTo(0.999999993797419, 12);
    expect(r.fnCount).toBe(110);
    expect(r.grCount).toBe(43);
    expect(r.fail).toBe(0);
  });

  it('stops at the barrier solution like constrOptim(c(0.2, 0.2), f, g, ui, ci)', () => {
    // R: constrOptim(c(0.2,0.2), function(x) (x[1]-2)^2 + (x[2]-1)^2, gradient,
    //                ui = rbind(c(-1,-1), diag(2)), ci = c(-1,0,0))
    const f = (x: Float64Array) => (x[0]! - 2) ** 2 + (x[1]! - 1) ** 2;
    const g = (x: Float64Array, out: Float64Array) => {
      out[0] = 2 * (x[0]! - 2);
      out[1] = 2 * (x[1]! - 1);
    };
    const r = constrOptim([0.2, 0.2], f, g, [[-1, -1], [1, 0], [0, 1]], [-1, 0, 0]);
    expect(r.par[0]).toBeCloseTo(0.99834070479939441, 9);
    expect(r.par[1]).toBeCloseTo(0.0016592895687968716, 9);
    expect(r.value).toBeCloseTo(2.000005517766053, 9);
    expect(r.outerIterations).toBe(3);
    expect(r.convergence).toBe(0);
  });

  it('rejects a start outside the feasible region', () => {
    expect(() => constrOptim([0.8, 0.8], () => 0, () => undefined, [[-1, -1]], [-1])).toThrow(/interior/);
  });
});
