/** Dataset summary for `tributary validate` and the report: what was read, per market and channel. */
import { formatIsoDay, parseIsoDay } from './dates.js';
import { missingWeekDates, type MarketingData, type MarketingRow } from './csv.js';
import { listDates } from './warnings.js';

export interface MarketSummary {
  market: string;
  firstDate: string;
  lastDate: string;
  /** Grid length: weeks from first to last date, inclusive. */
  numWeeks: number;
  /** Rows present in the file. */
  numObserved: number;
  /** Weeks missing inside the range (`numWeeks − numObserved`). */
  numGaps: number;
  /** Total spend per channel in this market, in `channels` order. */
  totalSpend: number[];
  /** Mean target in this market (its `yScale`). */
  targetMean: number;
}

export interface GapSummary {
  market: string;
  /** ISO dates of the missing weeks. */
  dates: string[];
}

export interface ChannelSpendSummary {
  channel: string;
  /** Total spend over all markets and weeks. */
  total: number;
  /** Share of all spend, in [0, 1]. */
  share: number;
}

export interface TargetStats {
  mean: number;
  /** Sample standard deviation (divisor n − 1; 0 for a single row). */
  sd: number;
  min: number;
  max: number;
}

export interface DatasetSummary {
  numRows: number;
  numMarkets: number;
  numChannels: number;
  target: string;
  channels: string[];
  controls: string[];
  /** Global first and last date. */
  firstDate: string;
  lastDate: string;
  /** Weeks from the global first to the global last date, inclusive (`T_max + 1`). */
  numWeeks: number;
  markets: MarketSummary[];
  /** Markets with missing weeks only. */
  gaps: GapSummary[];
  totalSpend: ChannelSpendSummary[];
  targetStats: TargetStats;
  warnings: string[];
}

/** Summarizes validated data (any row order). */
export function summarizeDataset(data: MarketingData): DatasetSummary {
  const C = data.channels.length;
  const firstDay = parseIsoDay(data.firstDate) ?? 0;
  const byMarket = new Map<string, MarketingRow[]>(data.markets.map((m) => [m, []]));
  for (const row of data.rows) byMarket.get(row.country)?.push(row);

  const markets: MarketSummary[] = [];
  const gaps: GapSummary[] = [];
  const channelTotals = new Array<number>(C).fill(0);
  let tMax = 0;
  for (const market of data.markets) {
    const rows = [...(byMarket.get(market) ?? [])].sort((a, b) => a.t - b.t);
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (first === undefined || last === undefined) continue;
    tMax = Math.max(tMax, last.t);
    const totalSpend = new Array<number>(C).fill(0);
    let targetSum = 0;
    for (const row of rows) {
      for (let c = 0; c < C; c++) totalSpend[c] = (totalSpend[c] as number) + (row.spend[c] as number);
      targetSum += row.target;
    }
    totalSpend.forEach((v, c) => (channelTotals[c] = (channelTotals[c] as number) + v));
    const numWeeks = last.t - first.t + 1;
    const missing = missingWeekDates(rows, firstDay);
    if (missing.length > 0) gaps.push({ market, dates: missing });
    markets.push({
      market,
      firstDate: first.date,
      lastDate: last.date,
      numWeeks,
      numObserved: rows.length,
      numGaps: numWeeks - rows.length,
      totalSpend,
      targetMean: targetSum / rows.length,
    });
  }

  const n = data.rows.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const row of data.rows) {
    sum += row.target;
    min = Math.min(min, row.target);
    max = Math.max(max, row.target);
  }
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (const row of data.rows) ss += (row.target - mean) ** 2;
  const allSpend = channelTotals.reduce((a, b) => a + b, 0);

  return {
    numRows: n,
    numMarkets: data.markets.length,
    numChannels: C,
    target: data.target,
    channels: [...data.channels],
    controls: [...data.controls],
    firstDate: data.firstDate,
    lastDate: formatIsoDay(firstDay + 7 * tMax),
    numWeeks: tMax + 1,
    markets,
    gaps,
    totalSpend: data.channels.map((channel, c) => ({
      channel,
      total: channelTotals[c] as number,
      share: allSpend > 0 ? (channelTotals[c] as number) / allSpend : 0,
    })),
    targetStats: { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min: n > 0 ? min : NaN, max: n > 0 ? max : NaN },
    warnings: [...data.warnings],
  };
}

/** `1234567.891` → `"1,234,567.89"` (fixed `digits`, locale-independent). */
export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  const [int = '', frac] = Math.abs(value).toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(value.toFixed(digits)) !== 0 ? '-' : '';
  return frac === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${frac}`;
}

function table(head: string[], body: string[][], rightAligned: boolean[]): string[] {
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((r) => (r[j] ?? '').length)));
  const fmt = (cells: string[]): string =>
    cells
      .map((cell, j) => (rightAligned[j] ? cell.padStart(widths[j] ?? 0) : cell.padEnd(widths[j] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)];
}

/** Plain-text rendering of a {@link DatasetSummary} (for the CLI). */
export function formatSummary(s: DatasetSummary): string {
  const out: string[] = [];
  out.push(
    `${s.numRows} rows · ${s.numMarkets} market${s.numMarkets === 1 ? '' : 's'} · ${s.numChannels} channel${s.numChannels === 1 ? '' : 's'} · target ${s.target}` +
      (s.controls.length > 0 ? ` · controls ${s.controls.join(', ')}` : ''),
  );
  out.push(`weeks ${s.firstDate} to ${s.lastDate} (${s.numWeeks} weeks)`);
  out.push('');
  out.push(
    ...table(
      ['market', 'first date', 'last date', 'weeks', 'observed', 'gaps', `mean ${s.target}`],
      s.markets.map((m) => [m.market, m.firstDate, m.lastDate, String(m.numWeeks), String(m.numObserved), String(m.numGaps), formatNumber(m.targetMean)]),
      [false, false, false, true, true, true, true],
    ),
  );
  out.push('');
  out.push(
    ...table(
      ['channel', 'total spend', 'share'],
      s.totalSpend.map((c) => [c.channel, formatNumber(c.total), `${(100 * c.share).toFixed(1)}%`]),
      [false, true, true],
    ),
  );
  out.push('');
  const t = s.targetStats;
  out.push(`${s.target}: mean ${formatNumber(t.mean)}  sd ${formatNumber(t.sd)}  min ${formatNumber(t.min)}  max ${formatNumber(t.max)}`);
  if (s.gaps.length > 0) {
    out.push('');
    out.push('gaps (missing weeks):');
    for (const g of s.gaps) out.push(`  ${g.market}: ${listDates(g.dates)}`);
  }
  if (s.warnings.length > 0) {
    out.push('');
    out.push('warnings:');
    for (const w of s.warnings) out.push(`  - ${w}`);
  }
  return out.join('\n');
}
