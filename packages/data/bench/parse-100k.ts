// Ad-hoc timing of parse + panel on a 100k-row file: `npx tsx bench/parse-100k.ts`.
import { parseMarketingCsv, buildPanel } from '../src/index.js';
import { toCsv, validTable } from '../test/helpers.js';

const channels = ['spotify_ads_spend', 'meta_spend', 'tiktok_spend', 'youtube_spend', 'radio_spend', 'playlist_spend'];
const t = validTable({ markets: Array.from({ length: 200 }, (_, g) => `M${g}`), weeks: 500, channels, start: '2010-01-03' });
const text = toCsv(t);
for (let i = 0; i < 4; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const data = parseMarketingCsv(text);
  const c1 = process.cpuUsage(c0);
  const t1 = performance.now();
  buildPanel(data);
  const c2 = process.cpuUsage(c0);
  const ms = (c: NodeJS.CpuUsage): string => ((c.user + c.system) / 1000).toFixed(0);
  console.log(`parse: wall ${(t1 - t0).toFixed(0)} ms, cpu ${ms(c1)} ms; panel: wall ${(performance.now() - t1).toFixed(0)} ms, cpu ${(Number(ms(c2)) - Number(ms(c1))).toFixed(0)} ms`);
}
