// Energy Bayesian fraction of missing information (E-BFMI) per chain.
//
// References
// - M. Betancourt (2016), "Diagnosing suboptimal cotangent disintegrations in Hamiltonian Monte
//   Carlo", arXiv:1604.00695; Betancourt (2017), arXiv:1701.02434, Sec. 6.1.
// - ArviZ `bfmi` (arviz/stats/diagnostics.py): mean((E_t - E_{t-1})^2) / var(E, ddof = 1), which
//   equals the ratio of sums below; Stan's check_energy uses the same estimate.
//
// E-BFMI = sum_{t >= 1} (E_t - E_{t-1})^2 / sum_t (E_t - mean E)^2. Values below about 0.3 flag
// poor exploration of the energy distribution (heavy tails, poorly adapted metric).
// NaN for a chain with fewer than two draws, a non-finite energy, or constant energy.

import type { ParameterDraws } from './draws.js';
import { checkChains } from './draws.js';
import { mean } from './moments.js';

/** E-BFMI of each chain from its energy draws (`sampleStats.energy`). */
export function ebfmi(energy: ParameterDraws): Float64Array {
  checkChains(energy, 'ebfmi');
  const out = new Float64Array(energy.length);
  energy.forEach((e, c) => {
    const n = e.length;
    if (n < 2) {
      out[c] = NaN;
      return;
    }
    const m = mean(e);
    let num = 0;
    let den = 0;
    for (let t = 0; t < n; t++) {
      const d = e[t]! - m;
      den += d * d;
      if (t > 0) {
        const step = e[t]! - e[t - 1]!;
        num += step * step;
      }
    }
    out[c] = Number.isFinite(num) && Number.isFinite(den) && den > 0 ? num / den : NaN;
  });
  return out;
}
