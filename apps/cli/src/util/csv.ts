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
  return [...drawsCsvChunks(chains, names)].join('');
}

/**
 * The text of {@link formatDrawsCsv} in pieces of about `rowsPerChunk` rows (the header first),
 * for `writeFile(path, drawsCsvChunks(…))`: the same bytes without the whole file in memory at
 * once (4 × 1000 draws of 4,836 parameters — 200 markets × 10 channels — are 385 MB of text).
 */
export function* drawsCsvChunks(chains: readonly Float64Array[], names: readonly string[], rowsPerChunk = 64): Generator<string> {
  const dim = names.length;
  yield ['.chain', '.iteration', ...names].map(csvField).join(',') + '\n';
  const row = new Array<string>(dim + 2);
  let rows: string[] = [];
  for (let c = 0; c < chains.length; c++) {
    const draws = chains[c]!;
    const numDraws = draws.length / dim;
    for (let i = 0; i < numDraws; i++) {
      row[0] = String(c + 1);
      row[1] = String(i + 1);
      for (let j = 0; j < dim; j++) row[j + 2] = csvNumber(draws[i * dim + j]!);
      rows.push(row.join(','));
      if (rows.length === rowsPerChunk) {
        yield rows.join('\n') + '\n';
        rows = [];
      }
    }
  }
  if (rows.length > 0) yield rows.join('\n') + '\n';
}
