import { describe, expect, test } from 'vitest';
import { NUMBER_PATTERN, buildRowSchema, dataOptionsSchema } from '../src/schema.js';

describe('dataOptionsSchema', () => {
  test('defaults', () => {
    expect(dataOptionsSchema.parse({})).toEqual({ target: 'streaming_revenue', controls: [] });
    expect(dataOptionsSchema.parse({ target: ' revenue ', channels: ['a'], controls: ['p'] })).toEqual({ target: 'revenue', channels: ['a'], controls: ['p'] });
  });

  test('type errors', () => {
    expect(dataOptionsSchema.safeParse({ channels: 'a,b' }).success).toBe(false);
    expect(dataOptionsSchema.safeParse({ target: 3 }).success).toBe(false);
    expect(dataOptionsSchema.safeParse({ target: 'x', controls: ['x'] }).success).toBe(false);
  });
});

test('NUMBER_PATTERN: plain decimal and scientific notation only', () => {
  for (const ok of ['0', '12', '-3', '+4', '1.5', '.5', '5.', '1e3', '1.2E-3', '-0']) expect(NUMBER_PATTERN.test(ok), ok).toBe(true);
  for (const bad of ['', ' ', '1,000', '1 000', '$5', '5%', 'NaN', 'Infinity', '0x10', '1_000', 'e3', '1e', '--1', '.', '1.2.3']) expect(NUMBER_PATTERN.test(bad), bad).toBe(false);
});

describe('buildRowSchema', () => {
  const schema = buildRowSchema(['date', 'country', 'spend', 'target', 'control', 'ignored']);

  test('accepts a valid row', () => {
    expect(schema.safeParse(['2024-01-07', 'DE', '10', '0', '-2.5', 'anything']).success).toBe(true);
  });

  test('one issue per bad cell, with its position', () => {
    const res = schema.safeParse(['2024-02-30', '', '-1', 'x', 'NaN', '']);
    expect(res.success).toBe(false);
    expect(res.error?.issues.map((i) => i.path[0])).toEqual([0, 1, 2, 3, 4]);
  });
});
