/**
 * Lift tests (`liftTests`; issue 8, not in model-spec v1). A test adds d money per week to
 * channel c of market g in global weeks s..e. With x the market's scaled spend on its grid
 * (0 in gaps, before its first and after its last week) and x' = x + d / spendScale[g,c] in
 * s..e, the model-implied lift is
 *   beta[g,c] · yScale[g] · Σ_{t=s}^{e+L−1} m_c(t) · (h(adstock(x')[t]) − h(adstock(x)[t]))
 * — through adstock AND saturation, so a test informs carry-over and curvature too
 * (PyMC-Marketing's `add_lift_test_measurements` evaluates the saturation curve only, at the
 * spend before and after the change; Meridian has no lift likelihood, it calibrates through
 * ROAS priors). Each test adds `lift ~ Normal(implied, lift_se)`, written on the scaled target
 * (both divided by yScale[g]); with learned transforms the windows are re-convolved per
 * evaluation with ∂/∂(α, K, S) — any adstock × saturation kind: ∂/∂ each learned slot of the
 * channel (transform-kinds.ts). The perturbed spend scale stays the observed maximum.
 *
 * Build: checks each test against the panel, cuts its spend windows (weeks s − (L−1) ..
 * e + (L−1), without and with the test) and, with fixed transforms, precomputes Δh. Forward:
 * the Normal log density of every test, adding ∂/∂beta to gB, ∂/∂(transform slots) to gTPar
 * and ∂/∂W to gTvW (read by the other terms' backwards). `predictions` gives the implied lift
 * of a loaded draw (the draw view). The implied lift is a cell response of response.ts (its
 * header has it next to marginal ROAS and the forecast): the coefficient slot, the value-only
 * Δh, the weighted sum and the money are that module's; the forward pass keeps its own Hill
 * with derivatives (`hillPoint`, the same value bit for bit).
 */
import { adstockWeightsWithGradient, convolveAdstock, type SaturationKind } from '@tributary/transforms';
import type { ModelData } from '../design.js';
import { hillPoint } from '../math.js';
import { configError, type LiftTestInput, type ResolvedOptions } from '../options.js';
import { cellMoney, coefSlot, saturationChange, weightedChange } from '../response.js';
import { adstockSpecOf, centreSlots, channelSlots, saturationPoint } from '../transform-kinds.js';
import type { Scratch, Term } from './term.js';
import type { TimeVaryingTerm } from './time-varying.js';

export class LiftTestsTerm implements Term {
  readonly count: number;
  private readonly market: Int32Array;
  private readonly channel: Int32Array;
  /** Global week of each test's first week; the window's length + carry-over tail. */
  private readonly startT: Int32Array;
  private readonly length: Int32Array;
  /** Measured lift and its se on the scaled target (money / yScale[g]). */
  private readonly obs: Float64Array;
  private readonly seScaled: Float64Array;
  /** Local scaled-spend windows, weeks startT − (L−1) .. endT + (L−1): without / with the test. */
  private readonly xBase: Float64Array[] = [];
  private readonly xTest: Float64Array[] = [];
  /** Per test: adstock of the base / tested window and their ∂/∂α (learned), window length. */
  private readonly aBase: Float64Array[] = [];
  private readonly aTest: Float64Array[] = [];
  private readonly daBase: Float64Array[] = [];
  private readonly daTest: Float64Array[] = [];
  /** ∂/∂(adstock slot 1) of the same (Weibull channels, learned). */
  private readonly da2Base: Float64Array[] = [];
  private readonly da2Test: Float64Array[] = [];
  /** Per test and output week: Δh (fixed transforms: precomputed) and ∂Δh/∂(slot j), j = 0..3. */
  private readonly dh: Float64Array[] = [];
  /** Per test and output week: m_c(t) of a time-varying channel (scratch; empty otherwise). */
  private readonly mWeek: Float64Array[] = [];
  private readonly dSlot: Float64Array[][] = [];
  /** Per channel: saturation kind, whether adstock slot 1 / saturation slot 3 exist, fused Hill path. */
  private readonly satKind: SaturationKind[];
  private readonly has1: Uint8Array;
  private readonly has3: Uint8Array;
  private readonly fast: Uint8Array;
  /** hillPoint's derivatives at the tested (index 0) and the base (index 1) adstock. */
  private readonly hA = new Float64Array(2);
  private readonly hK = new Float64Array(2);
  private readonly hS = new Float64Array(2);
  /** saturationPoint's derivatives at the tested and the base adstock. */
  private readonly sT = new Float64Array(3);
  private readonly sB = new Float64Array(3);
  /** Centre values of every channel's slots (C × 4), for the fixed Δh. */
  private readonly centre: Float64Array;

  constructor(
    private readonly data: ModelData,
    opts: ResolvedOptions,
    private readonly tv: TimeVaryingTerm,
    private readonly isLearned: boolean,
  ) {
    const J = opts.liftTests.length;
    this.count = J;
    this.market = new Int32Array(J);
    this.channel = new Int32Array(J);
    this.startT = new Int32Array(J);
    this.length = new Int32Array(J);
    this.obs = new Float64Array(J);
    this.seScaled = new Float64Array(J);
    const C = data.C;
    this.satKind = [];
    this.has1 = new Uint8Array(C);
    this.has3 = new Uint8Array(C);
    this.fast = new Uint8Array(C);
    this.centre = new Float64Array(4 * C);
    for (let c = 0; c < C; c++) {
      const slots = channelSlots(data.transforms[c]!);
      this.satKind.push(slots.saturation);
      this.has1[c] = slots.names[1] !== null ? 1 : 0;
      this.has3[c] = slots.names[3] !== null ? 1 : 0;
      this.fast[c] = slots.names[0] === 'alpha' && slots.saturation === 'hill' ? 1 : 0;
      centreSlots(data.transforms[c]!, this.centre, 4 * c);
    }
    opts.liftTests.forEach((test, j) => this.add(test, j));
  }

  /** Checks one lift test against the panel and precomputes its spend windows (and Δh when fixed). */
  private add(test: LiftTestInput, j: number): void {
    const data = this.data;
    const { markets, channels } = data;
    const where = `liftTests[${j}]`;
    if (test === null || typeof test !== 'object') configError(`buildModel: ${where} must be an object`);
    const g = markets.indexOf(test.market);
    if (g < 0) configError(`buildModel: ${where}.market = "${test.market}" is not a market (${markets.join(', ')})`);
    const c = channels.indexOf(test.channel);
    if (c < 0) configError(`buildModel: ${where}.channel = "${test.channel}" is not a channel (${channels.join(', ')})`);
    const grid = data.vX[g * data.C + c]!;
    const first = data.marketStartT[g]!;
    const last = first + grid.length - 1;
    if (!(Number.isInteger(test.startT) && Number.isInteger(test.endT) && first <= test.startT && test.startT <= test.endT && test.endT <= last)) {
      configError(`buildModel: ${where} weeks ${test.startT}..${test.endT} must be whole weeks within market ${test.market}'s weeks ${first}..${last}, start <= end`);
    }
    if (!(Number.isFinite(test.deltaSpend) && test.deltaSpend !== 0)) configError(`buildModel: ${where}.deltaSpend = ${test.deltaSpend}; expected a finite, non-zero spend per week`);
    if (!Number.isFinite(test.lift)) configError(`buildModel: ${where}.lift = ${test.lift}; expected a finite number`);
    if (!(test.liftSe > 0 && Number.isFinite(test.liftSe))) configError(`buildModel: ${where}.liftSe = ${test.liftSe}; expected a finite number > 0`);
    const scale = data.spendScale[g * data.C + c]!;
    if (!(scale > 0)) configError(`buildModel: ${where}: ${test.channel} never spends in ${test.market}, so its spend has no scale; a lift test there cannot be mapped onto the model`);
    const t = data.transforms[c]!;
    const L = t.lMax;
    const t0 = test.startT - (L - 1);
    const width = test.endT - test.startT + 1 + 2 * (L - 1);
    const base = new Float64Array(width);
    const withTest = new Float64Array(width);
    const dx = test.deltaSpend / scale;
    for (let i = 0; i < width; i++) {
      const week = t0 + i;
      const x = week >= first && week <= last ? grid[week - first]! : 0;
      base[i] = x;
      withTest[i] = week >= test.startT && week <= test.endT ? x + dx : x;
      if (withTest[i]! < 0) configError(`buildModel: ${where}: deltaSpend ${test.deltaSpend} makes the spend of week ${week} negative`);
    }
    const length = test.endT - test.startT + L;
    this.market[j] = g;
    this.channel[j] = c;
    this.startT[j] = test.startT;
    this.length[j] = length;
    this.obs[j] = test.lift / data.yScale[g]!;
    this.seScaled[j] = test.liftSe / data.yScale[g]!;
    this.xBase.push(base);
    this.xTest.push(withTest);
    this.aBase.push(new Float64Array(width));
    this.aTest.push(new Float64Array(width));
    const learned = this.isLearned;
    const two = learned && this.has1[c] === 1;
    this.daBase.push(new Float64Array(learned ? width : 0));
    this.daTest.push(new Float64Array(learned ? width : 0));
    this.da2Base.push(new Float64Array(two ? width : 0));
    this.da2Test.push(new Float64Array(two ? width : 0));
    this.dh.push(new Float64Array(length));
    this.mWeek.push(new Float64Array(this.tv.tvOf[c]! >= 0 ? length : 0));
    this.dSlot.push([0, 1, 2, 3].map((k) => new Float64Array(learned && (k !== 1 || two) && (k !== 3 || this.has3[c] === 1) ? length : 0)));
    if (!learned) {
      const w = new Float64Array(L);
      adstockWeightsWithGradient(adstockSpecOf(t), w, new Float64Array(L), new Float64Array(L));
      this.deltaH(j, w, null, null, this.centre, 4 * c);
    }
  }

  /**
   * Δh[i] = h(a_test) − h(a) at the test's output weeks i (startT .. endT + L − 1), with lag
   * weights w and the channel's slot values par[at + 0..3]: the value alone (response.ts
   * `saturationChange`) when `dw` is null, else (learned, the log density) also ∂Δh/∂(slot j)
   * into dSlot (dw2 = ∂w/∂(slot 1) for Weibull channels). The windows are convolved with
   * @tributary/transforms' `convolveAdstock` (the window starts L − 1 weeks early, so every
   * output week has its full carry-over).
   */
  private deltaH(j: number, w: Float64Array, dw: Float64Array | null, dw2: Float64Array | null, par: ArrayLike<number>, at: number): void {
    const ab = convolveAdstock(this.xBase[j]!, w, this.aBase[j]!);
    const aT = convolveAdstock(this.xTest[j]!, w, this.aTest[j]!);
    const c = this.channel[j]!;
    const dh = this.dh[j]!;
    const L = w.length;
    const n = this.length[j]!;
    if (dw === null) {
      const kind = this.satKind[c]!;
      for (let i = 0; i < n; i++) dh[i] = saturationChange(kind, ab[i + L - 1]!, aT[i + L - 1]!, par[at + 2]!, par[at + 3]!);
      return;
    }
    const dab = convolveAdstock(this.xBase[j]!, dw, this.daBase[j]!);
    const dat = convolveAdstock(this.xTest[j]!, dw, this.daTest[j]!);
    const two = dw2 !== null && this.has1[c] === 1;
    const dab2 = two ? convolveAdstock(this.xBase[j]!, dw2, this.da2Base[j]!) : null;
    const dat2 = two ? convolveAdstock(this.xTest[j]!, dw2, this.da2Test[j]!) : null;
    const d = this.dSlot[j]!;
    if (this.fast[c] === 1) {
      const Kc = par[at + 2]!;
      const Sc = par[at + 3]!;
      const logK = Math.log(Kc);
      const { hA, hK, hS } = this;
      for (let i = 0; i < n; i++) {
        const li = i + L - 1;
        const h1 = hillPoint(aT[li]!, dat[li]!, logK, Kc, Sc, hA, hK, hS, 0);
        dh[i] = h1 - hillPoint(ab[li]!, dab[li]!, logK, Kc, Sc, hA, hK, hS, 1);
        d[0]![i] = hA[0]! - hA[1]!;
        d[2]![i] = hK[0]! - hK[1]!;
        d[3]![i] = hS[0]! - hS[1]!;
      }
      return;
    }
    const kind = this.satKind[c]!;
    const p2 = par[at + 2]!;
    const p3 = this.has3[c] === 1 ? par[at + 3]! : 0;
    const { sT, sB } = this;
    const has3 = this.has3[c] === 1;
    for (let i = 0; i < n; i++) {
      const li = i + L - 1;
      const a1 = aT[li]! > 0 ? aT[li]! : 0;
      const a0 = ab[li]! > 0 ? ab[li]! : 0;
      dh[i] = saturationPoint(kind, a1, p2, p3, sT) - saturationPoint(kind, a0, p2, p3, sB);
      const g1 = a1 > 0 ? sT[0]! : 0;
      const g0 = a0 > 0 ? sB[0]! : 0;
      d[0]![i] = g1 * dat[li]! - g0 * dab[li]!;
      if (two) d[1]![i] = g1 * dat2![li]! - g0 * dab2![li]!;
      d[2]![i] = sT[1]! - sB[1]!;
      if (has3) d[3]![i] = sT[2]! - sB[2]!;
    }
  }

  /** m_c(t) at test j's output weeks from the knot log-values W; null where the effect is constant. */
  private multipliers(j: number, W: ArrayLike<number>): Float64Array | null {
    const tv = this.tv.tvOf[this.channel[j]!]!;
    if (tv < 0) return null;
    const m = this.mWeek[j]!;
    const t0 = this.startT[j]!;
    for (let i = 0; i < m.length; i++) m[i] = this.tv.multiplierAt(W, tv, t0 + i);
    return m;
  }

  /**
   * lift_j / yScale ~ Normal(beta[g,c] · Σ_i m_c(t_i) Δh_j[i], se_j / yScale), added to the
   * adjoints gB (and gTPar, gTvW).
   */
  forward(_theta: Float64Array, _grad: Float64Array, s: Scratch): number {
    const layout = this.data.layout;
    const isLearned = this.isLearned;
    const W = s.tvW;
    const J = this.tv.numKnots;
    let lp = 0;
    for (let j = 0; j < this.count; j++) {
      const g = this.market[j]!;
      const c = this.channel[j]!;
      const bi = coefSlot(layout, g, c);
      const beta = s.B[bi]!;
      if (isLearned) this.deltaH(j, s.lagW[c]!, s.lagDW[c]!, s.lagDW2[c]!, s.tPar, 4 * c);
      const dh = this.dh[j]!;
      const tv = this.tv.tvOf[c]!;
      const n = this.length[j]!;
      const t0 = this.startT[j]!;
      const mw = this.multipliers(j, W);
      const sum = weightedChange(dh, 0, mw, 0, n);
      const se = this.seScaled[j]!;
      const resid = this.obs[j]! - beta * sum;
      lp -= (0.5 * resid * resid) / (se * se);
      const r = resid / (se * se);
      s.gB[bi]! += r * sum;
      if (!isLearned && tv < 0) continue;
      let sa = 0;
      let sa2 = 0;
      let sk = 0;
      let ss = 0;
      const d = this.dSlot[j]!;
      const d1 = d[1]!;
      const d3 = d[3]!;
      for (let i = 0; i < n; i++) {
        const m = mw === null ? 1 : mw[i]!;
        if (isLearned) {
          sa += m * d[0]![i]!;
          if (d1.length > 0) sa2 += m * d1[i]!;
          sk += m * d[2]![i]!;
          if (d3.length > 0) ss += m * d3[i]!;
        }
        if (tv >= 0) {
          const k = this.tv.knotIndex(t0 + i);
          const f = this.tv.knotFraction(t0 + i, k);
          const gw = r * beta * dh[i]! * m;
          s.gTvW[tv * J + k]! += (1 - f) * gw;
          s.gTvW[tv * J + k + 1]! += f * gw;
        }
      }
      if (isLearned) {
        s.gTPar[4 * c]! += r * beta * sa;
        s.gTPar[4 * c + 1]! += r * beta * sa2;
        s.gTPar[4 * c + 2]! += r * beta * sk;
        s.gTPar[4 * c + 3]! += r * beta * ss;
      }
    }
    return lp;
  }

  backward(): void {}

  /**
   * Implied lift (money) of every test for a loaded draw: coefficients B (sets × P), knot
   * log-values W, and — learned transforms — the draw's slot values per channel (C × 4).
   */
  predictions(B: Float64Array, W: ArrayLike<number>, par: Float64Array | null, out: Float64Array): Float64Array {
    const { layout, transforms } = this.data;
    for (let j = 0; j < this.count; j++) {
      const g = this.market[j]!;
      const c = this.channel[j]!;
      if (par !== null) {
        const t = transforms[c]!;
        const w = new Float64Array(t.lMax);
        adstockWeightsWithGradient(adstockSpecOf(t, par[4 * c]!, par[4 * c + 1]!), w, new Float64Array(t.lMax), new Float64Array(t.lMax));
        this.deltaH(j, w, null, null, par, 4 * c);
      }
      out[j] = cellMoney(this.data, g, B[coefSlot(layout, g, c)]!, weightedChange(this.dh[j]!, 0, this.multipliers(j, W), 0, this.length[j]!));
    }
    return out;
  }
}
