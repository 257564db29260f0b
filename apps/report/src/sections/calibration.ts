// The calibration section (only when a model was fitted with lift tests or time-varying
// effects): per lift test, the measured lift (±1.96 se) against the lift the model implies (94%
// HDI), with and without the tests (`--uncalibrated DIR`) and the true lift when known; a table
// with z-scores and a plain-words verdict; the ROAS of every market of each tested channel
// without vs with the tests; and the effect multiplier over time of each time-varying channel.
// Large panels (issue 17): the without-vs-with forest plots show the tested markets and the top
// markets by revenue, with no group row (the uncalibrated fit's group ROAS is not computed); the
// average change of the untested markets stays in the sentence under the charts.
import { forestPlot, type ForestSeries } from '../charts/forest.js';
import { lineChart, type LineSeries } from '../charts/line.js';
import { channelLabel, escapeHtml, formatDate, formatEuro, formatFixed, formatRoas, isoToDay } from '../charts/format.js';
import { TRUTH, modelColor } from '../charts/palette.js';
import { callout, figure, grid, section, table } from '../html.js';
import type { CalibrationInput, Estimate, LiftTestResult, ReportInput, RoasShiftChannel, TimeVaryingSeries } from '../types.js';
import { marketsByData, modelLabel, sectionNumber, weeksNote } from './common.js';
import { clipDomain } from './roas.js';

/** |z| up to this is "agrees with the experiment" (about a 95% two-sided interval). */
export const LIFT_AGREEMENT_Z = 2;

const EXPERIMENT_COLOR = '#e8710a';
const UNCALIBRATED_COLOR = '#8a8f98';

const interval = (e: Estimate, f: (v: number) => string) => `${f(e.mean)} [${f(e.lower)}, ${f(e.upper)}]`;
const zText = (z: number) => (Number.isFinite(z) ? formatFixed(z, 1) : '–');
const agrees = (z: number) => Number.isFinite(z) && Math.abs(z) <= LIFT_AGREEMENT_Z;
const perWeek = (d: number) => `${d < 0 ? '−' : '+'}${formatEuro(Math.abs(d))} per week`;
const testName = (t: LiftTestResult) => `${t.market} ${channelLabel(t.channel)}`;

export function renderCalibrationSection(input: ReportInput, cal: CalibrationInput): string {
  const title = `Calibration: ${[cal.liftTests.length ? 'experiments' : '', cal.timeVarying.length ? 'effects over time' : ''].filter((x) => x).join(' and ')}`;
  const parts: string[] = [];
  const lead: string[] = [];
  if (cal.liftTests.length) {
    lead.push(
      `The ${cal.model ?? 'model'} model was fitted with ${cal.liftTests.length} lift test${cal.liftTests.length === 1 ? '' : 's'}: experiments that changed a channel's spend in one market for a few weeks and measured the extra revenue. ` +
        'A regression on observational data can credit a channel with revenue that something else brought (spend that follows demand); an experiment cannot be fooled that way, so the model is asked to agree with it.',
    );
    parts.push(liftPart(cal));
    if (cal.roasShift?.length) parts.push(roasShiftPart(input, cal, cal.roasShift));
    else if (!cal.uncalibratedModel) {
      parts.push(
        callout(
          '<p>To see what the experiments changed, fit the same model without <code>--lift-tests</code> into another folder and pass it with <code>--uncalibrated DIR</code>: ' +
            '<code>tributary fit data.csv --model hierarchical --out results-uncalibrated</code>, <code>tributary report results/ --uncalibrated results-uncalibrated/</code>.</p>',
        ),
      );
    }
  }
  if (cal.timeVarying.length) {
    lead.push(
      'A time-varying channel’s effect is its average effect times a multiplier m(t) that may drift over the weeks (a random walk on knots, shared by all markets); 1 is the average, 1.5 means 50% more effect per euro than on average.',
    );
    parts.push(timeVaryingPart(cal.timeVarying));
  }
  return section('calibration', sectionNumber(input, 'calibration'), title, lead.join(' '), parts.join(''));
}

/** "20 Oct – 10 Nov 2025" (the year once when both dates share it). */
function dateRange(a: string, b: string): string {
  const [da, db] = [formatDate(a), formatDate(b)];
  const ya = da.slice(-4);
  return ya === db.slice(-4) ? `${da.slice(0, -5)} – ${db}` : `${da} – ${db}`;
}

// ---- lift tests ----------------------------------------------------------------------------

function liftPart(cal: CalibrationInput): string {
  const tests = cal.liftTests;
  const kind = cal.kind ?? 'hierarchical';
  const color = modelColor(kind);
  const hasU = tests.some((t) => t.uncalibrated);
  const hasTruth = tests.some((t) => t.truth !== undefined);
  const charts = tests.map((t) => {
    const rows = [{ label: 'Experiment (±1.96 se)' }, { label: 'Model with the tests' }, ...(t.uncalibrated ? [{ label: 'Model without them' }] : [])];
    const only = (i: number, e: Estimate): (Estimate | null)[] => rows.map((_, r) => (r === i ? e : null));
    const series: ForestSeries[] = [
      { name: 'measured lift', color: EXPERIMENT_COLOR, estimates: only(0, { mean: t.lift, lower: t.lift - 1.96 * t.liftSe, upper: t.lift + 1.96 * t.liftSe }) },
      { name: 'model-implied lift (94% HDI)', color, estimates: only(1, t.implied) },
      ...(t.uncalibrated ? [{ name: 'without the lift tests', color: UNCALIBRATED_COLOR, estimates: only(2, t.uncalibrated.implied) }] : []),
    ];
    return figure(
      forestPlot({
        title: `${t.market} · ${channelLabel(t.channel)}: ${perWeek(t.deltaSpend)} for ${t.weeks} week${t.weeks === 1 ? '' : 's'}`,
        subtitle: `${dateRange(t.start, t.end)}; extra revenue incl. carry-over${t.truth !== undefined ? '; dashed: true lift' : ''}`,
        rows,
        series,
        ...(t.truth !== undefined ? { reference: { value: t.truth, label: `true ${formatEuro(t.truth)}` } } : {}),
        xLabel: '€ incremental revenue',
        xFormat: (v) => formatEuro(v),
        tickFormat: (v) => formatEuro(v),
        dodge: 0,
        showLegend: false,
        width: 520,
      }),
    );
  });

  const zCell = (z: number) => `<span class="${agrees(z) ? 'good-value' : Math.abs(z) <= 3 ? 'warn-value' : 'bad-value'}">${escapeHtml(zText(z))}</span>`;
  const money = (v: number) => formatEuro(v);
  const tbl = table<LiftTestResult>(
    [
      { header: 'Test', value: (t) => `${t.market} · ${channelLabel(t.channel)}`, sort: (t) => `${t.market} ${t.channel} ${t.start}` },
      { header: 'Window', value: (t) => dateRange(t.start, t.end), sort: (t) => t.start },
      {
        header: 'Extra spend',
        value: (t) => `${t.deltaSpend < 0 ? '−' : '+'}${formatEuro(Math.abs(t.deltaSpend))}/wk × ${t.weeks}`,
        sort: (t) => t.deltaSpend,
        align: 'right',
        title: 'Extra spend per week (negative: a go-dark test) × test weeks',
      },
      { header: 'Measured lift', value: (t) => `${money(t.lift)} ± ${money(t.liftSe)}`, sort: (t) => t.lift, align: 'right', title: 'Measured incremental revenue ± its standard error' },
      { header: 'Model-implied', value: (t) => interval(t.implied, money), sort: (t) => t.implied.mean, align: 'right', title: 'Posterior mean [94% HDI] of the lift the model implies for the same extra spend' },
      {
        header: 'z',
        value: (t) => zText(t.z),
        html: (t) => zCell(t.z),
        sort: (t) => t.z,
        align: 'right',
        title: '(implied − measured) / √(se² + posterior sd²); within ±2 the model agrees with the experiment',
      },
      ...(hasU
        ? [
            { header: 'Implied without the tests', value: (t: LiftTestResult) => (t.uncalibrated ? interval(t.uncalibrated.implied, money) : '–'), sort: (t: LiftTestResult) => t.uncalibrated?.implied.mean ?? NaN, align: 'right' as const },
            { header: 'z without', value: (t: LiftTestResult) => zText(t.uncalibrated?.z ?? NaN), html: (t: LiftTestResult) => zCell(t.uncalibrated?.z ?? NaN), sort: (t: LiftTestResult) => t.uncalibrated?.z ?? NaN, align: 'right' as const },
          ]
        : []),
      ...(hasTruth ? [{ header: 'True lift', value: (t: LiftTestResult) => (t.truth !== undefined ? money(t.truth) : '–'), sort: (t: LiftTestResult) => t.truth ?? NaN, align: 'right' as const }] : []),
    ],
    tests,
    { caption: 'Lift tests: measured vs model-implied incremental revenue (money over the test window and its carry-over)' },
  );
  return callout(liftVerdict(tests, kind), 'key') + grid(charts) + tbl;
}

/** The plain-words verdict: does the model agree with the experiments, and did they change it? */
export function liftVerdict(tests: readonly LiftTestResult[], kind = 'hierarchical'): string {
  const n = tests.length;
  const off = tests.filter((t) => !agrees(t.z));
  const worst = [...tests].sort((a, b) => Math.abs(b.z) - Math.abs(a.z))[0]!;
  const gap = (t: LiftTestResult, implied: Estimate, z: number, who = 'the model implies') =>
    `${escapeHtml(testName(t))}: ${who} ${escapeHtml(formatEuro(implied.mean))}, the experiment measured ${escapeHtml(formatEuro(t.lift))} ± ${escapeHtml(formatEuro(t.liftSe))}, z = ${escapeHtml(zText(z))}`;
  const out: string[] = [];
  if (off.length === 0) {
    out.push(
      `<strong>The model agrees with the experiments</strong>: for ${n === 1 ? 'the lift test' : `all ${n} lift tests`} the lift the ${escapeHtml(kind)} model implies is within ${LIFT_AGREEMENT_Z} standard errors of the measured lift (largest gap: ${gap(worst, worst.implied, worst.z)}).`,
    );
  } else {
    out.push(
      `<strong>The model disagrees with ${off.length} of ${n} experiment${n === 1 ? '' : 's'}</strong> even though it was fitted with them (${off.map((t) => gap(t, t.implied, t.z)).join('; ')}). ` +
        'The rest of the data pull the other way: either the experiment measured something the model does not describe (other weeks, a different carry-over or saturation), or the model misses a driver of revenue. Check the test before trusting either number.',
    );
  }
  const withU = tests.filter((t) => t.uncalibrated);
  if (withU.length) {
    const offU = withU.filter((t) => !agrees(t.uncalibrated!.z));
    const ratios = withU.map((t) => t.uncalibrated!.implied.mean / t.lift).filter((r) => Number.isFinite(r) && r > 0);
    const ratio = ratios.length ? Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length) : NaN;
    const direction =
      Number.isFinite(ratio) && (ratio > 1.25 || ratio < 0.8)
        ? ` On average it implied ${escapeHtml(formatFixed(ratio, 1))}× the measured lift: ${ratio > 1 ? 'the observational data alone overstate the effect (typical when spend follows demand, e.g. a hidden driver raises both)' : 'the observational data alone understate the effect'}.`
        : '';
    out.push(
      offU.length === 0
        ? `Without the experiments the model already agreed with them (every |z| ≤ ${LIFT_AGREEMENT_Z}): the tests confirm it and tighten it rather than correct it.${direction}`
        : `Without the experiments the model disagreed with ${offU.length} of ${withU.length} (${offU.map((t) => gap(t, t.uncalibrated!.implied, t.uncalibrated!.z, 'it implied')).join('; ')}): the tests corrected it.${direction}`,
    );
  }
  const known = tests.filter((t) => t.truth !== undefined);
  if (known.length) {
    const inside = (e: Estimate, v: number) => e.lower <= v && v <= e.upper;
    const covered = known.filter((t) => inside(t.implied, t.truth!)).length;
    const knownU = known.filter((t) => t.uncalibrated);
    const coveredU = knownU.filter((t) => inside(t.uncalibrated!.implied, t.truth!)).length;
    out.push(
      `Against the true lifts of the simulation, the model’s 94% interval contains the truth for ${covered} of ${known.length} test${known.length === 1 ? '' : 's'}` +
        (knownU.length ? ` (without the tests: ${coveredU} of ${knownU.length})` : '') +
        '.',
    );
  }
  return out.map((p) => `<p>${p}</p>`).join('');
}

// ---- ROAS without vs with the lift tests ----------------------------------------------------

function roasShiftPart(input: ReportInput, cal: CalibrationInput, shifts: readonly RoasShiftChannel[]): string {
  const kind = cal.kind ?? 'hierarchical';
  const sentences: string[] = [];
  const charts = shifts.map((s) => {
    const label = channelLabel(s.channel);
    // Large panels: the tested markets, then the top markets by revenue (the others' average
    // change is in the sentence under the chart); small panels: every market.
    const groups = input.marketGroups;
    const order = groups
      ? [...new Set([...s.testedMarkets.map((m) => input.markets.indexOf(m)).filter((g) => g >= 0), ...groups.top])]
      : marketsByData(input);
    const rows = order.map((g) => ({
      label: input.markets[g]!,
      note: weeksNote(input.marketWeeks[g] ?? 0),
      highlight: s.testedMarkets.includes(input.markets[g]!),
    }));
    const truth = s.truth ? order.map((g) => (Number.isFinite(s.truth![g]!) ? s.truth![g]! : null)) : undefined;
    for (const m of s.testedMarkets) {
      const g = input.markets.indexOf(m);
      const a = s.without[g];
      const b = s.with[g];
      if (!a || !b) continue;
      const tr = s.truth?.[g];
      sentences.push(
        `Adding the lift tests moved ${label} ROAS in ${m} from ${interval(a, formatRoas)} to ${interval(b, formatRoas)}${tr !== undefined && Number.isFinite(tr) ? ` (truth ${formatRoas(tr)})` : ''}.`,
      );
    }
    const others = input.markets
      .map((m, g) => ({ m, a: s.without[g], b: s.with[g] }))
      .filter((x) => !s.testedMarkets.includes(x.m) && x.a && x.b && x.a.mean > 0 && x.b.mean > 0);
    if (others.length) {
      const factor = Math.exp(others.reduce((acc, x) => acc + Math.log(x.b!.mean / x.a!.mean), 0) / others.length);
      const withTruth = others.filter((x) => {
        const tr = s.truth?.[input.markets.indexOf(x.m)];
        return tr !== undefined && tr > 0;
      });
      const vsTruth = withTruth.length
        ? Math.exp(withTruth.reduce((acc, x) => acc + Math.log(x.b!.mean / s.truth![input.markets.indexOf(x.m)]!), 0) / withTruth.length)
        : NaN;
      const off = vsTruth > 1.25 || vsTruth < 0.8;
      const truthNote = Number.isFinite(vsTruth) ? `; there it is ${off ? 'still ' : ''}×${formatFixed(vsTruth, 2)} the true ROAS on average` : '';
      sentences.push(
        `In the ${others.length} market${others.length === 1 ? '' : 's'} without a ${label} test its ROAS changed by ×${formatFixed(factor, 2)} on average${kind === 'hierarchical' ? ' (the experiments reach them through the shared population effect)' : kind === 'pooled' ? ' (one effect for all markets)' : ''}${truthNote}.`,
      );
    }
    const series: ForestSeries[] = [
      { name: 'without the lift tests', color: UNCALIBRATED_COLOR, estimates: order.map((g) => s.without[g] ?? null) },
      { name: 'with the lift tests', color: modelColor(kind), estimates: order.map((g) => s.with[g] ?? null) },
    ];
    return figure(
      forestPlot({
        title: `${label}: ROAS per market without vs with the lift tests`,
        subtitle: `${modelLabel(kind)} model; 94% HDI; tested markets shaded${groups ? `; with the ${groups.top.length} markets with the most revenue, not all ${input.markets.length}` : ''}`,
        rows,
        series,
        ...(truth ? { truth } : {}),
        xLabel: '€ revenue per €1 spent (94% interval)',
        xFormat: formatRoas,
        reference: { value: 1, label: 'break-even' },
        highlightLabel: 'market with a lift test',
        xDomain: clipDomain([...series[0]!.estimates, ...series[1]!.estimates], truth),
        width: 520,
      }),
    );
  });
  return (
    `<h3>What the experiments changed</h3><p>The same ${escapeHtml(kind)} model fitted to the same data without the lift tests (<code>${escapeHtml(cal.uncalibratedModel ?? '')}</code> of <code>--uncalibrated</code>), against the one fitted with them.</p>` +
    (sentences.length ? `<ul>${sentences.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : '') +
    grid(charts)
  );
}

// ---- time-varying effects -------------------------------------------------------------------

function timeVaryingPart(series: readonly TimeVaryingSeries[]): string {
  const texts: string[] = [];
  const charts = series.map((s) => {
    const label = channelLabel(s.channel);
    const xs = s.dates.map((d) => isoToDay(d) ?? NaN);
    const lines: LineSeries[] = [
      {
        name: 'multiplier at the knots (mean, 94% HDI)',
        color: modelColor('hierarchical'),
        x: xs,
        y: s.multiplier.map((e) => e.mean),
        lower: s.multiplier.map((e) => e.lower),
        upper: s.multiplier.map((e) => e.upper),
        style: 'line+points',
      },
    ];
    let covered = 0;
    let comparable = 0;
    if (s.truth) {
      lines.push({ name: 'true multiplier (rescaled)', color: TRUTH, x: s.truth.dates.map((d) => isoToDay(d) ?? NaN), y: s.truth.multiplier, style: 'dashed', strokeWidth: 1.6 });
      const byDate = new Map(s.truth.dates.map((d, i) => [d, s.truth!.multiplier[i]!]));
      s.dates.forEach((d, k) => {
        const v = byDate.get(d);
        const e = s.multiplier[k]!;
        if (v === undefined || !Number.isFinite(e.lower)) return;
        comparable++;
        if (e.lower <= v && v <= e.upper) covered++;
      });
    }
    const lastDay = isoToDay(s.lastDate) ?? NaN;
    const lastKnot = xs[xs.length - 1] ?? NaN;
    const chart = lineChart({
      title: `${label}: effect multiplier over time`,
      subtitle: `${s.model} · a knot every ${s.knotEvery} week${s.knotEvery === 1 ? '' : 's'} · 1 = the channel’s average effect`,
      series: lines,
      xType: 'date',
      yFormat: (v) => `×${formatFixed(v, v >= 10 ? 0 : 1)}`,
      yLabel: 'effect multiplier',
      // The last knot lies up to knotEvery − 1 weeks after the data; mark where the data end.
      ...(lastKnot > lastDay ? { markers: [{ x: lastDay, label: 'last week of data', color: '#5c6370' }] } : {}),
      width: 520,
      height: 260,
    });

    const fin = s.multiplier.map((e, k) => ({ e, k })).filter((x) => Number.isFinite(x.e.mean) && isoToDay(s.dates[x.k]!)! <= lastDay);
    if (fin.length) {
      const lo = fin.reduce((a, b) => (b.e.mean < a.e.mean ? b : a));
      const hi = fin.reduce((a, b) => (b.e.mean > a.e.mean ? b : a));
      const flat = fin.every((x) => x.e.lower <= 1 && 1 <= x.e.upper);
      let t =
        `${label} (${s.model}): the multiplier ranges from ×${formatFixed(lo.e.mean, 2)} (${formatDate(s.dates[lo.k]!)}) to ×${formatFixed(hi.e.mean, 2)} (${formatDate(s.dates[hi.k]!)}) of its average effect` +
        (flat ? '; but its 94% band contains 1 at every knot, so the data show no clear drift.' : '.');
      if (s.latest) t += ` At the last week of data it is ${interval(s.latest, (v) => `×${formatFixed(v, 2)}`)}, the value tributary optimize plans with.`;
      if (s.sigma) t += ` Step sd of the walk (tv_sigma): ${interval(s.sigma, (v) => formatFixed(v, 3))}.`;
      if (s.truth && comparable) t += ` The band contains the true multiplier at ${covered} of ${comparable} knots.`;
      texts.push(t);
    }
    return figure(chart);
  });
  const truthNote = series.some((s) => s.truth)
    ? '<p class="hint">The dashed line is the simulation’s true multiplier, divided by its geometric mean over the knot weeks: the model centres its log-multiplier at 0 over the knots and only the product of effect and multiplier is identified, so the shape is what can be compared.</p>'
    : '';
  return `<h3>Effects over time</h3>${texts.length ? `<ul>${texts.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : ''}${grid(charts)}${truthNote}`;
}
