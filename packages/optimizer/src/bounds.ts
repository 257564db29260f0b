/**
 * Per market-channel bounds on the planned weekly spend, and fixed market-channels.
 *
 * Defaults: lower 0, upper `maxSpendMultiple` (2) × the largest observed weekly spend of the
 * market-channel (its model-spec §2 spend scale). A market-channel that never spent has upper 0:
 * the model has no data on its response (its x is 0 everywhere), so it cannot be planned.
 * PyMC-Marketing's default is [0, total budget] for every cell, which lets a plan put the whole
 * budget where the model has never seen spend of that size.
 *
 * Bounds entries apply in order, later entries overriding earlier ones; `market` or `channel`
 * omitted or `*` matches all. A fixed market-channel has lower = upper = its weekly spend
 * (default: its mean weekly spend over the last W weeks); fixed spend counts toward the budget.
 *
 * Bounds files (zod-validated at this boundary): CSV with a header `market,channel,lower,upper`
 * (an empty cell keeps the default) or JSON, an array of `{ market?, channel?, lower?, upper? }`
 * (or `{ "bounds": [...] }`). All amounts are weekly spend in the data's currency.
 */
import { z } from 'zod';
import { OptimizerError } from './errors.js';
import type { ResponseModel } from './response.js';

export interface BoundSpec {
  /** Market name, or `*` / undefined for every market. */
  readonly market?: string;
  /** Channel (spend column) name, or `*` / undefined for every channel. */
  readonly channel?: string;
  /** Minimum weekly spend. */
  readonly lower?: number;
  /** Maximum weekly spend. */
  readonly upper?: number;
  /** Where the entry came from (for error messages), e.g. `bounds.csv line 3`. */
  readonly source?: string;
}

export interface FixedSpec {
  readonly market?: string;
  readonly channel?: string;
  /** Weekly spend to hold; default: the market-channel's mean weekly spend over the last W weeks. */
  readonly weeklySpend?: number;
}

export interface BoundsOptions {
  readonly bounds?: readonly BoundSpec[];
  readonly fixed?: readonly FixedSpec[];
  /** Default upper bound as a multiple of the largest observed weekly spend (default 2). */
  readonly maxSpendMultiple?: number;
}

export interface ResolvedBounds {
  /** G×C weekly spend bounds. */
  readonly lowerWeekly: Float64Array;
  readonly upperWeekly: Float64Array;
  /** G×C: 1 where the cell is fixed (lower = upper by a `fixed` entry). */
  readonly isFixed: Uint8Array;
}

function boundsError(message: string): never {
  throw new OptimizerError('OPTIMIZER_INVALID_BOUNDS', message);
}

const amount = z.number().finite().nonnegative();
const jsonEntry = z.strictObject({
  market: z.string().min(1).optional(),
  channel: z.string().min(1).optional(),
  lower: amount.optional(),
  upper: amount.optional(),
});
const jsonFile = z.union([z.array(jsonEntry), z.strictObject({ bounds: z.array(jsonEntry) })]);

/** Parses a bounds file (`csv` or `json`); `source` names the file in error messages. */
export function parseBounds(text: string, format: 'csv' | 'json', source = 'bounds'): BoundSpec[] {
  if (format === 'json') {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      boundsError(`${source}: not valid JSON (${(e as Error).message})`);
    }
    const parsed = jsonFile.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      boundsError(`${source}: ${issue.path.length ? `at ${issue.path.join('.')}: ` : ''}${issue.message}; expected [{ "market": "DE", "channel": "meta_spend", "lower": 0, "upper": 50000 }, ...]`);
    }
    const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.bounds;
    return entries.map((e, k) => ({ ...e, source: `${source} entry ${k + 1}` }));
  }
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  if (col('market') < 0 || col('channel') < 0 || (col('lower') < 0 && col('upper') < 0)) {
    boundsError(`${source} line 1: the header must have market,channel and lower and/or upper (weekly spend), got "${lines[0] ?? ''}"`);
  }
  const unknown = header.filter((h) => !['market', 'channel', 'lower', 'upper'].includes(h));
  if (unknown.length > 0) boundsError(`${source} line 1: unknown column(s) ${unknown.join(', ')}; expected market,channel,lower,upper`);
  const out: BoundSpec[] = [];
  for (let r = 1; r < lines.length; r++) {
    const line = lines[r]!;
    if (line.trim() === '') continue;
    const cells = line.split(',').map((v) => v.trim());
    if (cells.length !== header.length) boundsError(`${source} line ${r + 1}: ${cells.length} fields, expected ${header.length}`);
    const where = `${source} line ${r + 1}`;
    const num = (name: string): number | undefined => {
      const j = col(name);
      if (j < 0 || cells[j] === '') return undefined;
      const v = Number(cells[j]);
      if (!(v >= 0 && Number.isFinite(v))) boundsError(`${where}, column ${name}: "${cells[j]}" is not a number >= 0 (weekly spend)`);
      return v;
    };
    const market = cells[col('market')]!;
    const channel = cells[col('channel')]!;
    out.push({
      ...(market !== '' ? { market } : {}),
      ...(channel !== '' ? { channel } : {}),
      ...(num('lower') !== undefined ? { lower: num('lower')! } : {}),
      ...(num('upper') !== undefined ? { upper: num('upper')! } : {}),
      source: where,
    });
  }
  return out;
}

function matcher(response: ResponseModel, market: string | undefined, channel: string | undefined, where: string): (g: number, c: number) => boolean {
  const isAllMarkets = market === undefined || market === '*';
  const isAllChannels = channel === undefined || channel === '*';
  if (!isAllMarkets && !response.markets.includes(market)) {
    boundsError(`${where}: unknown market "${market}"; markets are ${response.markets.join(', ')} (or * for all)`);
  }
  if (!isAllChannels && !response.channels.includes(channel)) {
    boundsError(`${where}: unknown channel "${channel}"; channels are ${response.channels.join(', ')} (or * for all)`);
  }
  return (g, c) => (isAllMarkets || response.markets[g] === market) && (isAllChannels || response.channels[c] === channel);
}

const isNamed = (name: string | undefined): boolean => name !== undefined && name !== '*';

/** Resolves default bounds, bounds entries and fixed cells to weekly bounds per cell. */
export function resolveBounds(response: ResponseModel, options: BoundsOptions = {}): ResolvedBounds {
  const G = response.markets.length;
  const C = response.channels.length;
  const n = G * C;
  const multiple = options.maxSpendMultiple ?? 2;
  if (!(multiple > 0 && Number.isFinite(multiple))) {
    throw new OptimizerError('OPTIMIZER_INVALID_OPTIONS', `maxSpendMultiple = ${multiple}; expected a finite number > 0`);
  }
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const isFixed = new Uint8Array(n);
  const origin: string[] = new Array<string>(n).fill('the default');
  /** 1 where the last entry that set the cell named both its market and its channel. */
  const isExplicit = new Uint8Array(n);
  for (let i = 0; i < n; i++) upper[i] = multiple * response.spendScale[i]!;
  for (const [k, b] of (options.bounds ?? []).entries()) {
    const where = b.source ?? `bounds entry ${k + 1}`;
    for (const [name, v] of [
      ['lower', b.lower],
      ['upper', b.upper],
    ] as const) {
      if (v !== undefined && !(v >= 0 && Number.isFinite(v))) boundsError(`${where}: ${name} = ${v}; expected a weekly spend >= 0`);
    }
    const match = matcher(response, b.market, b.channel, where);
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        if (!match(g, c)) continue;
        const i = g * C + c;
        if (b.lower !== undefined) lower[i] = b.lower;
        if (b.upper !== undefined) upper[i] = b.upper;
        origin[i] = where;
        isExplicit[i] = isNamed(b.market) && isNamed(b.channel) ? 1 : 0;
      }
    }
  }
  for (const [k, f] of (options.fixed ?? []).entries()) {
    const where = `fixed entry ${k + 1} (${f.market ?? '*'}:${f.channel ?? '*'})`;
    if (f.weeklySpend !== undefined && !(f.weeklySpend >= 0 && Number.isFinite(f.weeklySpend))) {
      boundsError(`${where}: weeklySpend = ${f.weeklySpend}; expected a number >= 0`);
    }
    const match = matcher(response, f.market, f.channel, where);
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        if (!match(g, c)) continue;
        const i = g * C + c;
        const v = f.weeklySpend ?? response.recentWeeklySpend[i]!;
        lower[i] = v;
        upper[i] = v;
        isFixed[i] = 1;
        origin[i] = where;
        isExplicit[i] = isNamed(f.market) && isNamed(f.channel) ? 1 : 0;
      }
    }
  }
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < C; c++) {
      const i = g * C + c;
      const cell = `${response.markets[g]}:${response.channels[c]}`;
      if (!(response.spendScale[i]! > 0)) {
        if (lower[i]! > 0 && isExplicit[i] === 1) {
          boundsError(`${origin[i]}: ${cell} never spent in the data, so the model cannot predict its response; its weekly spend must be 0, got lower = ${lower[i]}`);
        }
        lower[i] = 0;
        upper[i] = 0;
        isFixed[i] = 0;
        continue;
      }
      if (lower[i]! > upper[i]!) boundsError(`${origin[i]}: ${cell} has lower ${lower[i]} > upper ${upper[i]} (weekly spend)`);
    }
  }
  return { lowerWeekly: lower, upperWeekly: upper, isFixed };
}
