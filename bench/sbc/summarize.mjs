// Tables of bench/results/sbc.md from the outputs of bench/sbc/run.sh:
//   node bench/sbc/summarize.mjs OUT > OUT/sbc.md
// Per model (OUT/<model>/sbc.json, OUT/<model>.cmd, OUT/<model>.time): the command, wall time,
// every parameter's p_uniform and coverage with its verdict against the file's 99% bands, the
// simulation's importance-sampling ESS and discarded data sets, and the fits' diagnostics.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] ?? 'bench/out/sbc';
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const lines = [];
for (const model of ['pooled', 'unpooled', 'hierarchical']) {
  const file = join(out, model, 'sbc.json');
  if (!existsSync(file)) continue;
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const read = (ext) => (existsSync(join(out, `${model}.${ext}`)) ? readFileSync(join(out, `${model}.${ext}`), 'utf8').trim() : '?');
  const [c50lo, c50hi] = doc.coverage_band.coverage50;
  const [c90lo, c90hi] = doc.coverage_band.coverage90;
  const marketPattern = new RegExp(`\\[(?:${doc.markets.join('|')})[,\\]]`);
  const rows = doc.parameters.map((p) => {
    const uniform = p.p_uniform >= 1 - doc.level;
    const ok50 = p.coverage50 >= c50lo && p.coverage50 <= c50hi;
    const ok90 = p.coverage90 >= c90lo && p.coverage90 <= c90hi;
    const fails = [uniform ? '' : 'ranks', ok50 ? '' : '50%', ok90 ? '' : '90%'].filter((f) => f);
    return { ...p, shared: !marketPattern.test(p.name), verdict: fails.length ? `**fails: ${fails.join(', ')}**` : 'ok' };
  });
  const d = doc.replicate_details;
  const sum = (f) => d.reduce((a, r) => a + (r[f] ?? 0), 0);
  const min = (f) => Math.min(...d.map((r) => r[f]).filter((x) => x !== null));
  const max = (f) => Math.max(...d.map((r) => r[f]).filter((x) => x !== null));
  lines.push(
    `### ${model}`,
    '',
    '```sh',
    read('cmd'),
    '```',
    '',
    `Wall time: ${read('time')}. ${doc.replicates} replicates fitted${doc.failed_replicates.length ? `, failed: ${doc.failed_replicates.join(', ')}` : ', none failed'}; ranks among ${doc.draws_per_fit} thinned draws.`,
    `Simulation: importance-sampling ESS per replicate ≥ ${min('simulation_ess')} (proposals ${min('simulation_proposals')}–${max('simulation_proposals')}), ${sum('simulation_discarded')} data sets discarded for a negative target.`,
    `Fits: ${sum('divergences')} divergent transitions in ${d.filter((r) => r.divergences > 0).length} of ${d.length} fits; max R-hat ${max('max_rhat').toFixed(3)}; min bulk ESS ${Math.round(min('min_ess_bulk'))}.`,
    `Bands (99%): 50% coverage ${pct(c50lo)}–${pct(c50hi)}, 90% coverage ${pct(c90lo)}–${pct(c90hi)}; ranks uniform when p_uniform ≥ 0.01.`,
    '',
    `${rows.filter((r) => r.verdict === 'ok').length} of ${rows.length} parameters pass all three checks (${rows.filter((r) => r.shared && r.verdict === 'ok').length} of ${rows.filter((r) => r.shared).length} shared ones).`,
    '',
    '| parameter | shared | p_uniform | coverage 50% | coverage 90% | verdict |',
    '|---|---|---:|---:|---:|---|',
    ...rows.map((r) => `| \`${r.name}\` | ${r.shared ? 'yes' : ''} | ${r.p_uniform.toFixed(3)} | ${pct(r.coverage50)} | ${pct(r.coverage90)} | ${r.verdict} |`),
    '',
  );
}
process.stdout.write(lines.join('\n'));
