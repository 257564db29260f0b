// `tributary optimize RESULTS`: allocate a media budget over markets and channels from a fitted
// model (packages/optimizer/README.md). Reads the results folder (manifest.json + draws.csv) with
// @tributary/evaluation's loader, rebuilds the model from the manifest and the data file (whose
// sha256 must match; --data for a moved file), optimizes, prints the allocation and writes
// plan.json atomically.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { TributaryError } from '@tributary/data';
import { formatSignificant, loadResults, MANIFEST_FILE, rebuildModel } from '@tributary/evaluation';
import {
  budgetScenarios,
  buildResponseModel,
  findTargetSpend,
  optimizeBudget,
  parseBounds,
  parseUtilitySpec,
  planToJson,
  type BoundSpec,
  type FixedSpec,
  type HistoricalBasis,
  type Plan,
  type PlanningOptions,
  type ResponseModel,
  type Scenario,
  type SpendTarget,
  type Summary,
  type TargetResult,
  type UtilitySpec,
} from '@tributary/optimizer';
import { CliUsageError, intOption, type CommandSpec } from '../command.js';
import { checkOutputLocation, writeFileAtomic } from '../util/atomic.js';

export const optimizeCommand: CommandSpec = {
  name: 'optimize',
  summary: 'Allocate a media budget over markets and channels from a fitted model (exact budget, bounds, risk-aware utilities, scenarios, targets).',
  positionals: [{ name: 'RESULTS', description: 'Results folder written by tributary fit, e.g. results/hierarchical.', required: true }],
  options: {
    budget: { type: 'string', valueName: 'AMOUNT', description: 'Total budget over the horizon, in the data currency (required unless a target is given; with --target-roas, the largest budget searched).' },
    weeks: { type: 'string', valueName: 'N', description: 'Horizon W in weeks, starting after the last observed week.', default: '13' },
    utility: { type: 'string', valueName: 'SPEC', description: 'mean, var:Q, cvar:Q, mts:ALPHA, sharpe or p-roas:R.', default: 'mean' },
    bounds: { type: 'string', valueName: 'FILE', description: 'CSV (market,channel,lower,upper) or JSON bounds on weekly spend; * matches all.' },
    fix: { type: 'string', valueName: 'CELLS', description: 'Hold at their mean weekly spend of the last W weeks: CHANNEL or MARKET:CHANNEL, comma-separated.' },
    'max-multiple': { type: 'string', valueName: 'X', description: 'Default upper bound: X × the largest observed weekly spend.', default: '2' },
    flexible: { type: 'boolean', description: 'Spend at most the budget instead of exactly the budget.' },
    'target-revenue': { type: 'string', valueName: 'R', description: 'Find the smallest budget whose mean incremental revenue reaches R.' },
    'target-roas': { type: 'string', valueName: 'r', description: 'Find the smallest budget with P(ROAS >= r) >= --min-prob.' },
    'min-prob': { type: 'string', valueName: 'P', description: 'Probability for --target-roas, in (0, 1).' },
    scenarios: { type: 'string', valueName: 'LIST', description: 'Also optimize these budget multiples, e.g. 0.6,0.8,1,1.2,1.8.' },
    history: { type: 'string', valueName: 'BASIS', description: 'Historical allocation to compare with: recent (last W weeks) or all.', default: 'recent' },
    data: { type: 'string', valueName: 'FILE', description: 'The fitted CSV if it moved (its sha256 must match the manifest).' },
    json: { type: 'boolean', description: 'Print plan.json to stdout instead of the tables.' },
    out: { type: 'string', valueName: 'FILE', description: 'Write plan.json to FILE (atomically).' },
  },
  examples: [
    'tributary optimize results/hierarchical --budget 500000',
    'tributary optimize results/hierarchical --budget 500000 --utility cvar:0.05 --scenarios 0.6,0.8,1,1.2,1.8 --out plan.json',
    'tributary optimize results/hierarchical --budget 500000 --bounds bounds.csv --fix radio_spend --flexible',
    'tributary optimize results/hierarchical --target-revenue 2000000',
    'tributary optimize results/hierarchical --target-roas 3 --min-prob 0.8 --json',
  ],
  async run(args, io) {
    const v = args.values;
    // 1. Flags (all checked before any file is read).
    const weeks = intOption(v.weeks, 'weeks', 1, 520);
    const utility = utilityOption(v.utility);
    const target = targetOption(v);
    const budget = v.budget === undefined ? undefined : amountOption(v.budget, 'budget');
    if (budget !== undefined && target?.kind === 'revenue') {
      throw new CliUsageError('--budget and --target-revenue are alternatives: --target-revenue finds the budget that reaches the revenue; give one of them');
    }
    if (budget === undefined && target === undefined) {
      throw new CliUsageError('--budget is required (the total over the horizon, e.g. --budget 500000), unless --target-revenue or --target-roas is given');
    }
    if (target !== undefined && String(v.utility) !== 'mean') {
      throw new CliUsageError(
        `--utility cannot be combined with --target-${target.kind} (the revenue target optimizes the mean response, the ROAS target P(ROAS >= r))`,
      );
    }
    const scenarios = v.scenarios === undefined ? undefined : multipliersOption(v.scenarios);
    const history = String(v.history);
    if (history !== 'recent' && history !== 'all') throw new CliUsageError(`--history must be recent or all, got "${history}"`);
    const maxMultiple = Number(v['max-multiple']);
    if (!(maxMultiple > 0 && Number.isFinite(maxMultiple))) throw new CliUsageError(`--max-multiple must be a number > 0, got "${String(v['max-multiple'])}"`);
    const fixed = v.fix === undefined ? [] : fixOption(v.fix);
    const bounds = v.bounds === undefined ? [] : await boundsFile(resolve(io.cwd, String(v.bounds)));
    const outFile = v.out === undefined ? undefined : resolve(io.cwd, String(v.out));
    if (outFile !== undefined) await checkOutputLocation(outFile, 'plan', '--out');

    // 2. The fitted model and its draws.
    const dir = resolve(io.cwd, args.positionals[0]!);
    const results = await loadResults(dir);
    const verdict = fitVerdict(results.manifest);
    if (verdict !== undefined && verdict.status !== 'good') {
      io.err(
        `warning: the fit in ${dir} has a ${verdict.status} verdict (${verdict.divergences} divergences, max R-hat ${verdict.max_rhat.toFixed(3)}, ` +
          `min bulk ESS ${Math.round(verdict.min_ess_bulk)}); a plan is only as good as the fit: fix it (tributary evaluate ${dir}) before acting on this plan.\n`,
      );
    }
    const manifestSha256 = createHash('sha256').update(await readFile(join(dir, MANIFEST_FILE))).digest('hex');
    const { model, panel } = await rebuildModel(results, v.data === undefined ? {} : { dataFile: resolve(io.cwd, String(v.data)) });
    for (const f of fixed) {
      if (f.market !== undefined && !model.markets.includes(f.market)) throw new CliUsageError(`--fix: unknown market "${f.market}"; markets are ${model.markets.join(', ')}`);
      if (!model.channels.includes(f.channel!)) throw new CliUsageError(`--fix: unknown channel "${f.channel}"; channels are ${model.channels.join(', ')}`);
    }
    const response = buildResponseModel({ model, panel, draws: results.draws, names: results.names, weeks });

    // 3. Optimize.
    const options: PlanningOptions = {
      utility,
      isFlexible: v.flexible === true,
      historicalBasis: history as HistoricalBasis,
      bounds,
      fixed,
      maxSpendMultiple: maxMultiple,
    };
    let plan: Plan;
    let found: TargetResult | undefined;
    if (target !== undefined) {
      found = findTargetSpend(response, target, { ...options, ...(budget !== undefined ? { maxBudget: budget } : {}) });
      plan = found.plan;
    } else {
      plan = optimizeBudget(response, { ...options, budget: budget! });
    }
    const scenarioList = scenarios === undefined ? undefined : budgetScenarios(response, { ...options, ...(found ? { utility: plan.utility } : {}), budget: plan.budget, multipliers: scenarios });
    const json = planToJson(plan, { ...(scenarioList ? { scenarios: scenarioList } : {}), ...(found ? { target: found } : {}) });
    const document = {
      ...json,
      results: { dir, model: results.manifest.model, draws: response.numDraws, manifest_sha256: manifestSha256, verdict: verdict ?? null },
    };
    const text = JSON.stringify(document, null, 2) + '\n';
    if (outFile !== undefined) await writeFileAtomic(outFile, 'plan', text);
    if (v.json === true) io.out(text);
    else io.out(formatReport(response, plan, { dir, model: results.manifest.model, scenarios: scenarioList, target: found, out: outFile }));
    return 0;
  },
};

// ---- flags ---------------------------------------------------------------------------------

/** Largest amount accepted: beyond it cents are no longer exact in a double. */
const MAX_AMOUNT = 1e15;

/** The fit's diagnostics as `tributary fit` recorded them in the manifest (absent in hand-made folders). */
function fitVerdict(manifest: Record<string, unknown>): { status: 'good' | 'warning' | 'bad'; divergences: number; max_rhat: number; min_ess_bulk: number } | undefined {
  const d = manifest.diagnostics as Record<string, unknown> | undefined;
  if (d === undefined || d === null || typeof d !== 'object') return undefined;
  const status = d.status;
  if (status !== 'good' && status !== 'warning' && status !== 'bad') return undefined;
  return { status, divergences: Number(d.divergences), max_rhat: Number(d.max_rhat), min_ess_bulk: Number(d.min_ess_bulk) };
}

function amountOption(value: unknown, flag: string): number {
  const s = String(value).replace(/[_,]/g, '').trim();
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n < 0.01 || n > MAX_AMOUNT) {
    throw new CliUsageError(`--${flag} must be an amount from 0.01 to ${MAX_AMOUNT.toExponential()} (e.g. 500000), got "${String(value)}"`);
  }
  return Math.round(n * 100) / 100;
}

function utilityOption(value: unknown): UtilitySpec {
  try {
    return parseUtilitySpec(String(value));
  } catch (e) {
    throw new CliUsageError(`--utility: ${(e as Error).message}`);
  }
}

function targetOption(v: Record<string, unknown>): SpendTarget | undefined {
  const revenue = v['target-revenue'];
  const roas = v['target-roas'];
  const prob = v['min-prob'];
  if (revenue !== undefined && roas !== undefined) throw new CliUsageError('--target-revenue and --target-roas are alternatives; give one');
  if (prob !== undefined && roas === undefined) throw new CliUsageError('--min-prob goes with --target-roas (e.g. --target-roas 3 --min-prob 0.8)');
  if (revenue !== undefined) return { kind: 'revenue', revenue: amountOption(revenue, 'target-revenue') };
  if (roas === undefined) return undefined;
  const r = Number(roas);
  if (!(r > 0 && Number.isFinite(r))) throw new CliUsageError(`--target-roas must be a number > 0, got "${String(roas)}"`);
  if (prob === undefined) throw new CliUsageError('--target-roas needs --min-prob P (the probability, e.g. 0.8)');
  const p = Number(prob);
  if (!(p > 0 && p < 1)) throw new CliUsageError(`--min-prob must be a number in (0, 1), got "${String(prob)}"`);
  return { kind: 'roas', roas: r, probability: p };
}

function multipliersOption(value: unknown): number[] {
  const items = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const out = items.map(Number);
  if (items.length === 0 || out.some((m) => !(m > 0 && Number.isFinite(m)))) {
    throw new CliUsageError(`--scenarios must be a comma-separated list of budget multiples > 0, e.g. 0.6,0.8,1,1.2,1.8; got "${String(value)}"`);
  }
  return out;
}

function fixOption(value: unknown): FixedSpec[] {
  const items = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new CliUsageError('--fix needs CHANNEL or MARKET:CHANNEL entries, e.g. --fix radio_spend,DE:meta_spend');
  return items.map((item) => {
    const parts = item.split(':');
    if (parts.length > 2 || parts.some((p) => p === '')) throw new CliUsageError(`--fix: "${item}" is not CHANNEL or MARKET:CHANNEL`);
    return parts.length === 2 ? { market: parts[0]!, channel: parts[1]! } : { channel: parts[0]! };
  });
}

async function boundsFile(file: string): Promise<BoundSpec[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new TributaryError('FILE_NOT_FOUND', `cannot read the --bounds file ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}); check the path.`);
  }
  return parseBounds(text, extname(file).toLowerCase() === '.json' ? 'json' : 'csv', file);
}

// ---- report --------------------------------------------------------------------------------

const money = (v: number, digits = 0): string => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const band = (s: Summary, digits = 0): string => `${money(s.mean, digits)} [${money(s.q05, digits)}, ${money(s.q95, digits)}]`;
/** ROAS and other ratios: significant digits, so tiny or huge scales never print as 0.00. */
const ratioBand = (s: Summary): string => `${formatSignificant(s.mean)} [${formatSignificant(s.q05)}, ${formatSignificant(s.q95)}]`;

function table(rows: string[][], alignRight: (col: number) => boolean): string[] {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  return rows.map((r) => '  ' + r.map((cell, j) => (alignRight(j) ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!))).join('  ').trimEnd());
}

function formatReport(
  response: ResponseModel,
  plan: Plan,
  ctx: { dir: string; model: string; scenarios: Scenario[] | undefined; target: TargetResult | undefined; out: string | undefined },
): string {
  const W = plan.weeks;
  const lines: string[] = [];
  lines.push(
    `${ctx.model} (${ctx.dir}): ${response.numDraws} draws, ${response.markets.length} markets × ${response.channels.length} channels, ` +
      `${W} weeks, utility ${plan.utility}${plan.isFlexible ? ', flexible budget' : ''}`,
  );
  if (ctx.target !== undefined) {
    const t = ctx.target;
    lines.push(
      t.target.kind === 'revenue'
        ? `Target: mean incremental revenue >= ${money(t.target.revenue)} -> smallest budget ${money(t.budget, 2)} (${t.numSolves} budgets optimized)`
        : `Target: P(ROAS >= ${t.target.roas}) >= ${t.target.probability} -> budgets from ${money(t.budget, 2)} to ${money(t.maxBudget ?? t.budget, 2)} (${t.numSolves} budgets optimized)`,
    );
  }
  lines.push(`Budget ${money(plan.budget, 2)}, planned ${money(plan.spend, 2)} over ${W} weeks (${money(plan.spend / W, 2)} per week)`, '');

  // Market × channel matrix of weekly spend.
  const C = response.channels.length;
  lines.push('Weekly spend (market × channel):');
  const header = ['market', ...response.channels.map((c) => c.replace(/_spend$/, '')), 'total/week'];
  const rows = [header];
  response.markets.forEach((m, g) => {
    const cells = plan.allocation.slice(g * C, (g + 1) * C);
    rows.push([m, ...cells.map((c) => (c.totalSpend > 0 ? money(c.weeklySpend) : '-')), money(cells.reduce((a, c) => a + c.weeklySpend, 0))]);
  });
  rows.push(['total', ...response.channels.map((_, c) => money(plan.allocation.filter((_x, i) => i % C === c).reduce((a, x) => a + x.weeklySpend, 0))), money(plan.spend / W)]);
  lines.push(...table(rows, (j) => j > 0), '');

  lines.push(`Planned cells (total over ${W} weeks; response = incremental revenue, mean [5%, 95%]):`);
  const detail = [['market', 'channel', 'weekly', 'total', 'observed weekly', 'response', '']];
  for (const c of plan.allocation) {
    if (c.totalSpend <= 0 && !c.isFixed) continue;
    detail.push([
      c.market,
      c.channel,
      money(c.weeklySpend, 2),
      money(c.totalSpend, 2),
      `${money(c.observedMin)}–${money(c.observedMax)}`,
      band(c.response),
      `${c.isFixed ? 'fixed ' : ''}${c.isOutsideObservedRange ? 'OUTSIDE OBSERVED RANGE' : ''}`.trim(),
    ]);
  }
  lines.push(...table(detail, (j) => j >= 2 && j <= 4), '');

  lines.push(`Plan:        response ${band(plan.response)}   ROAS ${ratioBand(plan.roas)}`);
  lines.push(
    `Historical:  response ${band(plan.historical.response)}   ROAS ${ratioBand(plan.historical.roas)}   (same budget, shares of ${plan.historical.basis === 'recent' ? `the last ${W} weeks` : 'the whole history'})`,
  );
  lines.push(`Uplift:      ${band(plan.uplift)}   P(uplift > 0) = ${plan.pUplift.toFixed(3)}`);
  if (plan.extrapolation.length > 0) {
    lines.push('', `Outside the observed weekly spend range (${plan.extrapolation.length}): the model extrapolates there; the 5–95% width of the response:`);
    for (const c of plan.extrapolation) {
      lines.push(`  ${c.market} ${c.channel}: ${money(c.weeklySpend)}/week vs observed ${money(c.observedMin)}–${money(c.observedMax)}; response ${band(c.response)}, width ${money(c.response.q95 - c.response.q05)}`);
    }
  }
  if (ctx.scenarios !== undefined) {
    lines.push('', 'Budget scenarios (each optimized; response mean [5%, 95%]):');
    const srows = [['multiple', 'budget', 'response', 'ROAS', 'historical', 'P(uplift>0)']];
    for (const s of ctx.scenarios) {
      if (s.plan === undefined) srows.push([`×${s.multiplier}`, money(s.budget), `infeasible: ${s.error ?? ''}`, '', '', '']);
      else srows.push([`×${s.multiplier}`, money(s.budget), band(s.plan.response), ratioBand(s.plan.roas), money(s.plan.historical.response.mean), s.plan.pUplift.toFixed(3)]);
    }
    lines.push(...table(srows, (j) => j === 1 || j === 4 || j === 5));
  }
  const starts = plan.solver.starts.map((s) => `${s.name} ${s.value.toPrecision(8)}${s.isConverged ? '' : ' (not converged)'}`).join(', ');
  lines.push('', `Solver: best start ${plan.solver.best}; starts ${starts}; ${plan.solver.seconds.toFixed(2)} s`);
  if (ctx.out !== undefined) lines.push(`Wrote ${ctx.out}`);
  return lines.join('\n') + '\n';
}
