// The calibration section's input: the lift tests of a model fitted with `tributary fit
// --lift-tests` against the lift the model implies for each (`Model.liftTestPredictions` over the
// posterior draws), the same for the model fitted without them (`--uncalibrated DIR`, rebuilt with
// the calibrated folder's tests so that it can predict them) together with the ROAS of every
// market of each tested channel without and with the tests, and the effect multiplier over time
// of every time-varying channel (`tv_multiplier[c,k]` at the knots of its random walk).
import { addWeeks, TributaryError, weeksBetween } from '@tributary/data';
import {
  liftTestChecks,
  passOverDraws,
  rebuildModel,
  sha256Hex,
  summarizeDerived,
  type FittedModel,
  type LiftTestCheck,
  type ResultsFolder,
  type RoasRow,
} from '@tributary/evaluation';
import type { CalibrationInput, Estimate, LiftTestResult, RoasShiftChannel, TimeVaryingSeries } from '../types.js';
import { findModelDirs, loadModelFolders, pooledDraws } from './results.js';
import { estimate } from './stats.js';
import type { GroundTruthFile } from './truth.js';

type ManifestLiftTest = NonNullable<ResultsFolder['manifest']['lift_tests']>[number];

/** The folder whose lift tests the section shows: the hierarchical one when it has tests, else the first that has. */
export function pickCalibratedFolder(folders: readonly ResultsFolder[]): number {
  const has = (f: ResultsFolder) => (f.manifest.lift_tests?.length ?? 0) > 0;
  const order = folders.map((f, i) => ({ f, i })).filter((x) => has(x.f));
  const best = order.find((x) => x.f.name === 'hierarchical') ?? order.find((x) => x.f.manifest.model === 'hierarchical') ?? order[0];
  return best ? best.i : -1;
}

/** A model fitted without the lift tests, rebuilt with the calibrated folder's tests (so it can predict them). */
export interface UncalibratedFit {
  folder: ResultsFolder;
  fitted: FittedModel;
  /** ROAS per market and channel, as `tributary evaluate` reports it. */
  roas: readonly RoasRow[];
  /** Measured vs implied lift of the calibrated folder's tests (same pass over the draws as `roas`). */
  liftChecks: readonly LiftTestCheck[];
  notes: string[];
}

/**
 * Loads the `--uncalibrated` results: the folder with the calibrated folder's name, else the one
 * of the same model kind, else the only one. It must be fitted to the same data file.
 */
export async function loadUncalibrated(dir: string, calibrated: ResultsFolder, csvText: string): Promise<UncalibratedFit> {
  const dirs = findModelDirs(dir);
  if (dirs.length === 0) {
    throw new TributaryError('RESULTS_NOT_FOUND', `--uncalibrated ${dir} holds no results folder (no manifest.json in it or in its subfolders); fit the same model without --lift-tests into it first.`);
  }
  const folders = await loadModelFolders(dir);
  const folder =
    folders.find((f) => f.name === calibrated.name) ??
    (folders.filter((f) => f.manifest.model === calibrated.manifest.model).length === 1 ? folders.find((f) => f.manifest.model === calibrated.manifest.model) : undefined) ??
    (folders.length === 1 ? folders[0] : undefined);
  if (!folder) {
    throw new TributaryError(
      'RESULTS_NOT_FOUND',
      `--uncalibrated ${dir} holds ${folders.map((f) => f.name).join(', ')}, none of which is "${calibrated.name}" (the model fitted with lift tests); pass that model's folder itself.`,
    );
  }
  const sha = sha256Hex(csvText);
  if (folder.manifest.data.sha256 !== sha) {
    throw new TributaryError(
      'DATA_MISMATCH',
      `--uncalibrated ${folder.dir} was fitted to another data file (${folder.manifest.data.path}) than the results with lift tests; the comparison needs the same model fitted to the same data without --lift-tests.`,
    );
  }
  const notes: string[] = [];
  if (folder.manifest.model !== calibrated.manifest.model) {
    notes.push(`the --uncalibrated folder holds a ${folder.manifest.model} model and the calibrated one a ${calibrated.manifest.model} model, so the ROAS shift mixes the effect of the lift tests with that of the model.`);
  }
  if ((folder.manifest.lift_tests?.length ?? 0) > 0) {
    notes.push(`the --uncalibrated folder ${folder.dir} was itself fitted with ${folder.manifest.lift_tests!.length} lift test(s); "without the lift tests" means without those of this run only.`);
  }
  const tests = calibrated.manifest.lift_tests ?? [];
  // The lift tests add no parameters, so the draws fit the rebuilt model as they are.
  const fitted = await rebuildModel({ ...folder, manifest: { ...folder.manifest, lift_tests: [...tests] } }, { csvText });
  // One pass over the draws (one model.loadDraw each) for the ROAS and the implied lifts.
  const pass = passOverDraws(folder, fitted.model, { derived: true, liftTests: true });
  const roas = summarizeDerived(folder, fitted, { pass }).roas;
  const liftChecks = liftTestChecks(folder, fitted.model, { pass });
  return { folder, fitted, roas, liftChecks, notes };
}

/** Model-implied lift of every test: mean, 94% HDI and sd over the posterior draws (@tributary/evaluation). */
export function impliedLifts(folder: ResultsFolder, fitted: FittedModel): { implied: Estimate; sd: number }[] {
  return impliedFromChecks(liftTestChecks(folder, fitted.model));
}

/** The implied lifts of `liftTestChecks` results (e.g. an evaluation report's `liftTests`). */
function impliedFromChecks(checks: readonly LiftTestCheck[]): { implied: Estimate; sd: number }[] {
  return checks.map((c) => ({ implied: { mean: c.implied.mean, lower: c.implied.hdiLow, upper: c.implied.hdiHigh }, sd: c.implied.sd }));
}

const zScore = (implied: number, impliedSd: number, lift: number, se: number) => (implied - lift) / Math.sqrt(se * se + (Number.isFinite(impliedSd) ? impliedSd * impliedSd : 0));

export interface CalibrationBuild {
  folders: readonly ResultsFolder[];
  fitted: readonly FittedModel[];
  /**
   * Each folder's lift-test checks from its evaluation report (`EvaluationReport.liftTests`), so
   * that the implied lifts are not computed in another pass over the draws; default: computed.
   */
  liftChecks?: readonly (readonly LiftTestCheck[])[];
  /** ROAS per market and channel of each folder ([g][c], report order), for the shift chart. */
  roas: readonly (readonly (readonly (Estimate | null)[])[])[];
  markets: readonly string[];
  channels: readonly string[];
  truth?: GroundTruthFile;
  /** True ROAS [g][c] in report order. */
  truthRoas?: readonly (readonly number[])[];
  uncalibrated?: UncalibratedFit;
}

/** The section's input, or undefined when no folder has lift tests or time-varying effects. */
export function buildCalibrationInput(b: CalibrationBuild): CalibrationInput | undefined {
  const ci = pickCalibratedFolder(b.folders);
  const timeVarying = b.folders.flatMap((f, i) => timeVaryingSeries(f, b.fitted[i]!, b.truth));
  if (ci < 0 && timeVarying.length === 0) return undefined;
  if (ci < 0) return { liftTests: [], timeVarying };

  const folder = b.folders[ci]!;
  const fitted = b.fitted[ci]!;
  const tests = folder.manifest.lift_tests ?? [];
  const given = b.liftChecks?.[ci];
  const implied = given && given.length === tests.length ? impliedFromChecks(given) : impliedLifts(folder, fitted);
  const u = b.uncalibrated;
  const impliedU = u ? impliedFromChecks(u.liftChecks) : undefined;
  const liftTests: LiftTestResult[] = tests.map((t, j) => {
    const im = implied[j]!;
    const truth = trueLift(b.truth, t);
    const un = impliedU?.[j];
    return {
      market: t.market,
      channel: t.channel,
      start: t.start,
      end: t.end,
      weeks: t.end_t - t.start_t + 1,
      deltaSpend: t.delta_spend,
      lift: t.lift,
      liftSe: t.lift_se,
      implied: im.implied,
      impliedSd: im.sd,
      z: zScore(im.implied.mean, im.sd, t.lift, t.lift_se),
      ...(un ? { uncalibrated: { implied: un.implied, impliedSd: un.sd, z: zScore(un.implied.mean, un.sd, t.lift, t.lift_se) } } : {}),
      ...(truth !== undefined ? { truth } : {}),
    };
  });

  let roasShift: RoasShiftChannel[] | undefined;
  if (u) {
    const tested = [...new Set(tests.map((t) => t.channel))].filter((c) => b.channels.includes(c));
    roasShift = tested.map((channel) => {
      const c = b.channels.indexOf(channel);
      const without = b.markets.map((g) => {
        const r = u.roas.find((x) => x.market === g && x.channel === channel);
        return r && Number.isFinite(r.mean) ? { mean: r.mean, lower: r.hdiLow, upper: r.hdiHigh } : null;
      });
      const withTests = b.markets.map((_, g) => b.roas[ci]?.[g]?.[c] ?? null);
      const truth = b.truthRoas ? b.markets.map((_, g) => b.truthRoas![g]?.[c] ?? NaN) : undefined;
      return {
        channel,
        without,
        with: withTests,
        ...(truth && truth.some(Number.isFinite) ? { truth } : {}),
        testedMarkets: [...new Set(tests.filter((t) => t.channel === channel).map((t) => t.market))],
      };
    });
  }
  return {
    model: folder.name,
    kind: folder.manifest.model,
    liftTests,
    ...(u ? { uncalibratedModel: u.folder.name } : {}),
    ...(roasShift ? { roasShift } : {}),
    timeVarying,
  };
}

function trueLift(gt: GroundTruthFile | undefined, t: ManifestLiftTest): number | undefined {
  const hit = gt?.lift_tests?.find((x) => x.market === t.market && x.channel === t.channel && x.start === t.start && x.end === t.end);
  return hit && Number.isFinite(hit.true_lift) ? hit.true_lift : undefined;
}

/** The multiplier at the knots of each time-varying channel of one folder, with the truth when known. */
export function timeVaryingSeries(folder: ResultsFolder, fitted: FittedModel, gt?: GroundTruthFile): TimeVaryingSeries[] {
  const tv = fitted.model.timeVarying;
  if (!tv) return [];
  const draws = pooledDraws(folder);
  const { panel, model } = fitted;
  const lastDate = addWeeks(panel.firstDate, panel.numWeeks - 1);
  // Multiplier at the last observed week (optimize's), per draw.
  const latestBuf = new Float64Array(model.channels.length);
  const latest = model.channels.map(() => new Float64Array(draws.numDraws));
  for (let s = 0; s < draws.numDraws; s++) {
    model.latestMultipliers(draws.row(s), latestBuf);
    latest.forEach((arr, c) => (arr[s] = latestBuf[c]!));
  }
  return tv.channels.map((channel) => {
    const knots = Array.from({ length: tv.numKnots }, (_, k) => k);
    const multiplier = knots.map((k) => estimate(draws.column(`tv_multiplier[${channel},${k + 1}]`)) ?? { mean: NaN, lower: NaN, upper: NaN });
    const dates = knots.map((k) => addWeeks(panel.firstDate, k * tv.knotEvery));
    const sigma = draws.has(`tv_sigma[${channel}]`) ? estimate(draws.column(`tv_sigma[${channel}]`)) : null;
    const late = estimate(latest[model.channels.indexOf(channel)]!);
    const truth = trueMultiplier(gt, channel, panel.firstDate, knots.map((k) => k * tv.knotEvery));
    return {
      model: folder.name,
      channel,
      knotEvery: tv.knotEvery,
      dates,
      multiplier,
      ...(sigma ? { sigma } : {}),
      ...(late ? { latest: late } : {}),
      lastDate,
      ...(truth ? { truth } : {}),
    };
  });
}

/**
 * The true multiplier per week of a drifting channel (`drift` in ground_truth.json), rescaled to
 * the model's normalization: the model centres the log-multiplier to mean 0 over its knots, the
 * simulator normalizes m to mean 1 over the weeks, and only beta·m is identified — so the truth is
 * divided by its geometric mean over the knot weeks.
 */
function trueMultiplier(gt: GroundTruthFile | undefined, channel: string, firstDate: string, knotWeeks: readonly number[]): TimeVaryingSeries['truth'] | undefined {
  const d = gt?.drift;
  if (!d || d.channel !== channel || d.multiplier.length === 0) return undefined;
  const origin = gt.first_date ?? firstDate;
  const offset = Math.round(weeksBetween(firstDate, origin)); // global week of the truth's t = 0
  const at = (week: number) => d.multiplier[Math.min(Math.max(week - offset, 0), d.multiplier.length - 1)]!;
  const logs = knotWeeks.map((w) => Math.log(at(w))).filter(Number.isFinite);
  if (logs.length === 0) return undefined;
  const geo = Math.exp(logs.reduce((a, v) => a + v, 0) / logs.length);
  return { dates: d.multiplier.map((_, t) => addWeeks(origin, t)), multiplier: d.multiplier.map((m) => m / geo) };
}
