import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamRng } from '../src/rng.js';
import { spendPattern } from '../src/spend.js';

describe('spendPattern', () => {
  it('is non-negative, 0 in gap weeks, averages 1 over observed weeks and spends something', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 8, max: 120 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
        (seed, numWeeks, burstiness, campaignWeeks, gapList) => {
          const gaps = new Set(gapList);
          const observed = Array.from({ length: numWeeks }, (_, w) => !gaps.has(w));
          const seasonal = Array.from({ length: numWeeks }, (_, w) => 1 + 0.3 * Math.sin(w));
          const p = spendPattern(streamRng(seed, 'test'), { numWeeks, observed, burstiness, campaignWeeks, seasonal });
          let sum = 0;
          let n = 0;
          for (let w = 0; w < numWeeks; w++) {
            expect(p[w]).toBeGreaterThanOrEqual(0);
            if (!observed[w]) expect(p[w]).toBe(0);
            else {
              sum += p[w]!;
              n++;
            }
          }
          expect(sum / n).toBeCloseTo(1, 10);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('has zero-spend weeks when fully flighted and none when always on', () => {
    const observed = Array.from({ length: 104 }, () => true);
    const seasonal = observed.map(() => 1);
    const zeros = (burstiness: number, seed: number) =>
      spendPattern(streamRng(seed, 'z'), { numWeeks: 104, observed, burstiness, campaignWeeks: 4, seasonal }).filter((v) => v === 0).length;
    for (let seed = 0; seed < 20; seed++) {
      expect(zeros(0, seed)).toBe(0);
      expect(zeros(1, seed)).toBeGreaterThan(30);
    }
  });
});
