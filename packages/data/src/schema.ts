/**
 * The zod schemas at the data boundary: the options object and the per-row cell parsing.
 *
 * Cells are validated with cheap zod checks (a regex and one refinement per cell, no
 * transforms), which keeps a 100k-row file well under a second; the error callbacks, which run
 * only for bad cells, write the full explanation. Numbers are converted with `Number()` after a
 * row has passed.
 */
import * as z from 'zod';
import { parseIsoDay, ISO_DATE_PATTERN } from './dates.js';

/** Default target column (model-spec.md §1). */
export const DEFAULT_TARGET = 'streaming_revenue';

/** Suffix that marks a spend column when `channels` is not given. */
export const SPEND_SUFFIX = '_spend';

/** Column names with a fixed meaning. */
export const DATE_COLUMN = 'date';
export const COUNTRY_COLUMN = 'country';

const columnName = z
  .string({ error: 'must be a column name (a string)' })
  .trim()
  .min(1, { error: 'column names must not be empty' });

function findDuplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) dup.add(n);
    seen.add(n);
  }
  return [...dup];
}

export const dataOptionsSchema = z
  .strictObject(
    {
      target: columnName.default(DEFAULT_TARGET),
      channels: z
        .array(columnName, { error: 'must be a list of column names' })
        .min(1, { error: 'is an empty list; leave it out to use every *_spend column' })
        .optional(),
      controls: z.array(columnName, { error: 'must be a list of column names' }).default([]),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unknown option${iss.keys.length === 1 ? '' : 's'} ${iss.keys.map((k) => `"${k}"`).join(', ')}; the options are target, channels and controls`
          : undefined,
    },
  )
  .superRefine((o, ctx) => {
    const reserved = [DATE_COLUMN, COUNTRY_COLUMN];
    const lists: [string, string[]][] = [
      ['target', [o.target]],
      ['channels', o.channels ?? []],
      ['controls', o.controls],
    ];
    for (const [key, names] of lists) {
      for (const n of names) {
        if (reserved.includes(n)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `"${n}" is the ${n} column and cannot be used as ${key}` });
        }
      }
      for (const n of findDuplicates(names)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `lists "${n}" more than once` });
      }
    }
    const channels = new Set(o.channels ?? []);
    if (channels.has(o.target)) {
      ctx.addIssue({ code: 'custom', path: ['channels'], message: `"${o.target}" is the target and cannot also be a channel` });
    }
    for (const c of o.controls) {
      if (c === o.target) {
        ctx.addIssue({ code: 'custom', path: ['controls'], message: `"${c}" is the target and cannot also be a control` });
      }
      if (channels.has(c)) {
        ctx.addIssue({ code: 'custom', path: ['controls'], message: `"${c}" is listed as a channel and as a control; choose one` });
      }
    }
  });

/** Options of `parseMarketingCsv` / `readMarketingCsv`, after defaults are applied. */
export type ResolvedDataOptions = z.output<typeof dataOptionsSchema>;

/** What a CSV column is used for. */
export type CellKind = 'date' | 'country' | 'spend' | 'target' | 'control' | 'ignored';

/** Plain decimal or scientific notation, optionally signed: `12`, `-3.5`, `.5`, `1.2e3`. */
export const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const NOT_FINITE_WORD = /^[+-]?(?:nan|inf|infinity)$/i;

const quote = (input: unknown): string => JSON.stringify(String(input));

function describeWhat(kind: 'spend' | 'target' | 'control'): string {
  return kind === 'spend' ? 'spend' : kind === 'target' ? 'the target' : 'a control';
}

function unparsableNumber(input: unknown, kind: 'spend' | 'target' | 'control'): string {
  const text = String(input);
  if (text === '') {
    return kind === 'spend'
      ? 'cell is empty; every row needs a spend value — write 0 for no spend, or remove the row.'
      : `cell is empty; every row needs a value for ${describeWhat(kind)} — fill it in or remove the row.`;
  }
  const range = kind === 'control' ? 'a finite number' : 'a finite number ≥ 0';
  if (NOT_FINITE_WORD.test(text)) {
    return `value ${quote(text)} is not a finite number; ${describeWhat(kind)} must be ${range} — fix the row or remove it.`;
  }
  if (/\d,\d/.test(text)) {
    return `value ${quote(text)} is not a plain number (thousands separator or decimal comma?); write e.g. 1000 or 1000.5 — fix the cell.`;
  }
  return `value ${quote(text)} is not a number; write plain decimals like 1200 or 1.2e3 (no currency signs, units or thousands separators) — fix the cell.`;
}

/**
 * Largest magnitude accepted for a spend, target or control value: |x| ≤ 1e15.
 *
 * Why 1e15: the data and model code sum columns, square deviations and multiply sums
 * (means, standard deviations, scales, ROI totals). With |x| ≤ 1e15 a deviation from the mean is
 * at most 2e15 and its square at most 4e30, so a sum of squares over n rows stays below n · 4e30
 * — finite (the double limit is 1.8e308) for any n below 1e277, i.e. for any file; a sum over n
 * rows stays below n · 1e15, and even the product of two such sums below n² · 1e30. Every
 * integer up to 1e15 is also exact in a double (2^53 ≈ 9.0e15). No real weekly spend or revenue
 * comes near it (1e15 is a quadrillion; world GDP is about 1e14 US dollars a year), so a larger
 * value is a unit mistake or a placeholder such as 1e308 — rescaling the column fixes it.
 */
export const MAX_ABS_VALUE = 1e15;

/** `MAX_ABS_VALUE` as it is written in messages. */
export const MAX_ABS_VALUE_TEXT = '1e15';

function tooLarge(input: unknown, kind: 'spend' | 'target' | 'control'): string {
  const text = quote(input);
  if (!Number.isFinite(Number(input))) return `value ${text} is too large to be a finite number — fix the cell.`;
  const range = kind === 'control' ? `between -${MAX_ABS_VALUE_TEXT} and ${MAX_ABS_VALUE_TEXT}` : `at most ${MAX_ABS_VALUE_TEXT}`;
  return `value ${text} is too large: ${describeWhat(kind)} must be ${range} (sums and squares of larger values overflow) — rescale the column (e.g. to thousands of euros) before fitting, or fix the cell.`;
}

function numberCell(kind: 'spend' | 'target' | 'control'): z.ZodType<string> {
  const shaped = z.string().regex(NUMBER_PATTERN, { error: (iss) => unparsableNumber(iss.input, kind), abort: true });
  if (kind === 'control') {
    return shaped.refine((s) => Math.abs(Number(s)) <= MAX_ABS_VALUE, { error: (iss) => tooLarge(iss.input, kind) });
  }
  const what = kind === 'spend' ? 'spend' : 'the target';
  return shaped.refine(
    (s) => {
      const v = Number(s);
      return v >= 0 && v <= MAX_ABS_VALUE;
    },
    {
      error: (iss) =>
        Number(iss.input) < 0
          ? `value ${quote(iss.input)} is negative; ${what} must be ≥ 0 — fix the row or remove it.`
          : tooLarge(iss.input, kind),
    },
  );
}

const dateCell: z.ZodType<string> = z
  .string()
  .regex(ISO_DATE_PATTERN, {
    abort: true,
    error: (iss) =>
      iss.input === ''
        ? 'cell is empty; every row needs a date (YYYY-MM-DD) — fill it in or remove the row.'
        : `value ${quote(iss.input)} is not a date in YYYY-MM-DD form (e.g. 2024-01-07) — reformat the date column.`,
  })
  .refine((s) => parseIsoDay(s) !== null, {
    error: (iss) => `value ${quote(iss.input)} is not a real calendar date — fix the row or remove it.`,
  });

const countryCell: z.ZodType<string> = z.string().min(1, {
  error: 'cell is empty; every row needs a market id in country — fill it in or remove the row.',
});

const CELL_SCHEMAS: Record<CellKind, z.ZodType<string>> = {
  date: dateCell,
  country: countryCell,
  spend: numberCell('spend'),
  target: numberCell('target'),
  control: numberCell('control'),
  ignored: z.string(),
};

/** The zod schema of one data row: a tuple of cell texts, one schema per column kind. */
export function buildRowSchema(kinds: readonly CellKind[]): z.ZodType<string[]> {
  const items = kinds.map((k) => CELL_SCHEMAS[k]);
  return z.tuple(items as [z.ZodType<string>, ...z.ZodType<string>[]]) as unknown as z.ZodType<string[]>;
}
