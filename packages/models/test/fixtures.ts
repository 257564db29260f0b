/**
 * Small test panels: a CSV string with 3 markets of different lengths (one with a gap week),
 * 3 channels (geometric, delayed and fallback adstock) and one control, parsed and built by
 * @tributary/data exactly as the CLI does.
 */
import { buildPanel, parseMarketingCsv, type Panel } from '@tributary/data';

const DAY = 86_400_000;

function isoDate(start: string, week: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + week * 7 * DAY).toISOString().slice(0, 10);
}

/** Deterministic pseudo-random numbers in [0, 1) (no Math.random in packages). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function smallCsv(): string {
  const rnd = lcg(12345);
  const lines = ['date,country,meta_spend,radio_spend,tv_spend,price,streaming_revenue'];
  const markets: { name: string; start: string; weeks: number; gap?: number; size: number; noTv?: boolean }[] = [
    { name: 'DE', start: '2023-01-02', weeks: 14, size: 1000 },
    { name: 'FR', start: '2023-01-16', weeks: 11, gap: 5, size: 400 },
    { name: 'SE', start: '2023-01-09', weeks: 9, size: 150, noTv: true },
  ];
  for (const m of markets) {
    for (let w = 0; w < m.weeks; w++) {
      if (w === m.gap) continue;
      const meta = w % 4 === 3 ? 0 : Math.round(50 + 200 * rnd());
      const radio = w % 3 === 0 ? Math.round(300 * rnd()) : 0;
      const tv = m.noTv === true ? 0 : Math.round(400 * rnd());
      const price = (9 + 2 * rnd()).toFixed(2);
      const revenue = Math.round(m.size * (0.8 + 0.4 * rnd()) + 0.5 * meta + 0.3 * radio + 0.2 * tv);
      lines.push([isoDate(m.start, w), m.name, meta, radio, tv, price, revenue].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

export function smallPanel(): Panel {
  return buildPanel(parseMarketingCsv(smallCsv(), { controls: ['price'] }));
}
