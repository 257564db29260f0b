import { describe, expect, test } from 'vitest';
import { DataValidationError, TributaryError } from '../src/index.js';
import { dataProblem } from '../src/errors.js';

describe('TributaryError', () => {
  test('carries a code and a cause', () => {
    const cause = new Error('low level');
    const e = new TributaryError('SOME_CODE', 'what happened', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('TributaryError');
    expect(e.code).toBe('SOME_CODE');
    expect(e.message).toBe('what happened');
    expect(e.cause).toBe(cause);
  });
});

describe('dataProblem', () => {
  test('prefixes the location that is known', () => {
    expect(dataProblem(14, 'meta_spend', '-20', 'x.').message).toBe('line 14, column meta_spend: x.');
    expect(dataProblem(3, null, null, 'x.').message).toBe('line 3: x.');
    expect(dataProblem(null, 'y', null, 'x.').message).toBe('column y: x.');
    expect(dataProblem(null, null, null, 'x.').message).toBe('x.');
    expect(dataProblem(14, 'meta_spend', '-20', 'x.')).toEqual({ line: 14, column: 'meta_spend', value: '-20', message: 'line 14, column meta_spend: x.' });
  });
});

describe('DataValidationError', () => {
  test('is a TributaryError with code DATA_INVALID listing every problem', () => {
    const problems = [dataProblem(2, 'a', '1', 'first.'), dataProblem(5, 'b', '2', 'second.')];
    const e = new DataValidationError(problems, ['a warning'], 'sales.csv');
    expect(e).toBeInstanceOf(TributaryError);
    expect(e.name).toBe('DataValidationError');
    expect(e.code).toBe('DATA_INVALID');
    expect(e.problems).toBe(problems);
    expect(e.warnings).toEqual(['a warning']);
    expect(e.file).toBe('sales.csv');
    expect(e.message).toBe('Invalid data in sales.csv: 2 problems found.\n  line 2, column a: first.\n  line 5, column b: second.');
  });

  test('caps the message at 50 problems', () => {
    const problems = Array.from({ length: 51 }, (_, i) => dataProblem(i + 2, null, null, 'bad.'));
    const lines = new DataValidationError(problems).message.split('\n');
    expect(lines).toHaveLength(52);
    expect(lines[0]).toBe('Invalid data: 51 problems found.');
    expect(lines[51]).toBe('  ... and 1 more (all are listed in error.problems).');
  });
});
