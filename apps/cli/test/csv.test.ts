// draws.csv written in pieces (what `tributary fit` streams to disk): the same bytes as the
// whole-file formatter, whatever the piece size.
import { describe, expect, it } from 'vitest';
import { drawsCsvChunks, formatDrawsCsv } from '../src/util/csv.js';

describe('drawsCsvChunks', () => {
  const names = ['alpha[DE]', 'beta[DE,meta_spend]', 'odd,"name"'];
  const chains = [Float64Array.from([1, 0.1, -2, 3.5, Number.NaN, 1e-300]), Float64Array.from([Infinity, -Infinity, 0, 7, 8, 9])];

  it('joins to formatDrawsCsv for every piece size; the header comes alone, then at most rowsPerChunk rows', () => {
    const whole = formatDrawsCsv(chains, names);
    expect(whole.split('\n')[0]).toBe('.chain,.iteration,alpha[DE],"beta[DE,meta_spend]","odd,""name"""');
    expect(whole.split('\n')[3]).toBe('2,1,Inf,-Inf,0');
    for (const size of [1, 2, 3, 4, 64]) {
      const pieces = [...drawsCsvChunks(chains, names, size)];
      expect(pieces.join('')).toBe(whole);
      expect(pieces[0]).toBe(whole.split('\n')[0] + '\n');
      for (const p of pieces.slice(1)) expect(p.split('\n').length - 1).toBeLessThanOrEqual(size);
      expect(pieces).toHaveLength(1 + Math.ceil(4 / size));
    }
  });

  it('writes only the header when there are no draws', () => {
    expect([...drawsCsvChunks([new Float64Array(0)], names)].join('')).toBe(formatDrawsCsv([new Float64Array(0)], names));
  });
});
