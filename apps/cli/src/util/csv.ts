/** Quotes a CSV field when it holds a comma, quote or newline (RFC 4180). */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Shortest round-trip decimal form; NaN and ±Infinity spelled as R reads them. */
export function csvNumber(x: number): string {
  if (Number.isNaN(x)) return 'NA';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  return String(x);
}

/**
 * Draws in the layout R's posterior::as_draws_df reads: `.chain,.iteration,` then one column per
 * parameter; one row per post-warmup draw. `chains[c]` holds numDraws × names.length row-major.
 */
export function formatDrawsCsv(chains: readonly Float64Array[], names: readonly string[]): string {
  const dim = names.length;
  const parts: string[] = [['.chain', '.iteration', ...names].map(csvField).join(',')];
  chains.forEach((draws, c) => {
    const numDraws = draws.length / dim;
    for (let i = 0; i < numDraws; i++) {
      const row = new Array<string>(dim + 2);
      row[0] = String(c + 1);
      row[1] = String(i + 1);
      for (let j = 0; j < dim; j++) row[j + 2] = csvNumber(draws[i * dim + j]!);
      parts.push(row.join(','));
    }
  });
  return parts.join('\n') + '\n';
}
