// Section 2: the media transforms — how long an ad keeps working (adstock) and how quickly more
// spend stops paying (saturation), per channel.
import { lineChart } from '../charts/line.js';
import { channelLabel, formatFixed, formatNumber, formatPercent } from '../charts/format.js';
import { channelColor } from '../charts/palette.js';
import { figure, grid, section, table } from '../html.js';
import type { ReportInput, TransformInput } from '../types.js';
import { sectionNumber } from './common.js';

export function renderTransformsSection(input: ReportInput): string {
  const ts = input.transforms;
  const learned = ts.some((t) => t.isLearned);
  const lead =
    'Media does not work only in the week it runs, and doubling a budget does not double its effect. Two curves per channel capture this. ' +
    (learned
      ? 'These were learned from the data: the lines are posterior means, the bands 94% intervals.'
      : 'They are fixed at the defaults of the model specification (not learned from this data); run fit with --learn-transforms to learn them.');
  const index = new Map(input.channels.map((c, i) => [c, i]));
  const adstock = lineChart({
    title: 'Carry-over (adstock): share of an ad’s effect by week',
    subtitle: 'Week 0 = the week the money is spent',
    series: ts.map((t) => ({
      name: channelLabel(t.channel),
      color: channelColor(index.get(t.channel) ?? 0),
      x: t.weights.map((_, l) => l),
      y: t.weights,
      ...(t.weightsLower && t.weightsUpper ? { lower: t.weightsLower, upper: t.weightsUpper } : {}),
      style: 'line+points' as const,
    })),
    xLabel: 'weeks after spending',
    yLabel: 'share of total effect',
    yFormat: (v) => formatPercent(v),
    xFormat: (v) => formatNumber(v),
    width: 520,
    height: 320,
  });
  const saturation = lineChart({
    title: 'Saturation: effect as spend grows',
    subtitle: 'Spend relative to the market’s largest week (100%)',
    series: ts.map((t) => ({
      name: channelLabel(t.channel),
      color: channelColor(index.get(t.channel) ?? 0),
      x: t.saturation.x,
      y: t.saturation.y,
      ...(t.saturation.lower && t.saturation.upper ? { lower: t.saturation.lower, upper: t.saturation.upper } : {}),
    })),
    xLabel: 'weekly spend (carried over) ÷ largest weekly spend',
    yLabel: 'share of the maximum effect',
    xFormat: (v) => formatPercent(v),
    yFormat: (v) => formatPercent(v),
    yDomain: [0, 1],
    width: 520,
    height: 320,
  });
  const settings = table<TransformInput>(
    [
      { header: 'Channel', value: (t) => channelLabel(t.channel), sort: (t) => index.get(t.channel) ?? 0 },
      { header: 'Carry-over', value: (t) => carryOverText(t) },
      { header: 'Decay α', value: (t) => (Number.isFinite(t.alpha) ? formatFixed(t.alpha, 2) : '–'), align: 'right', title: 'larger = the effect lasts longer' },
      { header: 'Half saturation K', value: (t) => (Number.isFinite(t.K) ? formatPercent(t.K) : '–'), sort: (t) => t.K, align: 'right', title: 'spend level (share of the largest week) that gives half the maximum effect' },
      { header: 'Shape S', value: (t) => (Number.isFinite(t.S) ? formatFixed(t.S, 2) : '–'), align: 'right', title: 'steepness of the S-curve' },
      { header: 'Saturation', value: (t) => t.saturationText ?? 'Hill' },
      { header: 'Half of the effect within', value: (t) => `${halfLife(t.weights)} wk`, sort: (t) => halfLife(t.weights), align: 'right' },
      { header: 'Source', value: (t) => (t.isLearned ? 'learned (posterior mean)' : 'default') },
    ],
    ts,
  );
  return section('transforms', sectionNumber(input, 'transforms'), 'How media works over time: the transforms', lead, grid([figure(adstock), figure(saturation)]) + settings);
}

/** Weeks until at least half of the total effect has happened (1 = within the first week). */
function halfLife(weights: readonly number[]): number {
  let s = 0;
  for (let l = 0; l < weights.length; l++) {
    s += weights[l]!;
    if (s >= 0.5) return l + 1;
  }
  return weights.length;
}

function carryOverText(t: TransformInput): string {
  switch (t.adstock) {
    case 'geometric':
      return 'geometric (peaks at once)';
    case 'delayed':
      return `delayed (peaks after ${t.theta} wk)`;
    case 'weibull_cdf':
      return 'Weibull CDF (decays by a Weibull survival curve)';
    case 'weibull_pdf':
      return 'Weibull PDF (may peak after a delay)';
    default:
      return t.adstock;
  }
}
