// Text and number formatting shared by every chart and section. All text that reaches the page
// goes through `escapeXml` (SVG) or `escapeHtml` (HTML); both escape the same five characters.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** Escapes text for HTML content and attribute values (the same rules as XML). */
export const escapeHtml = escapeXml;

/** A number with at most `digits` significant digits, without trailing zeros ("1.5", "0.042"). */
export function formatNumber(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  let s: string;
  if (abs >= 10 ** digits) s = Math.round(x).toLocaleString('en-US');
  else s = String(Number(x.toPrecision(digits)));
  return s.replace(/^-/, '−');
}

/** A number with a fixed number of decimals ("2.35"), minus sign as "−". */
export function formatFixed(x: number, decimals = 2): string {
  if (!Number.isFinite(x)) return '–';
  const s = x.toFixed(decimals);
  return (Number(s) === 0 ? s.replace(/^-/, '') : s).replace(/^-/, '−');
}

/**
 * Money in euros, compact: "€1.2M", "€350k", "€12.5", "−€3k". `decimals` applies to the
 * mantissa (default: up to 3 significant digits).
 */
export function formatEuro(x: number, options: { compact?: boolean; digits?: number } = {}): string {
  if (!Number.isFinite(x)) return '–';
  const { compact = true, digits = 3 } = options;
  const sign = x < 0 ? '−' : '';
  const abs = Math.abs(x);
  if (!compact) return `${sign}€${Math.round(abs).toLocaleString('en-US')}`;
  const units: [number, string][] = [
    [1e9, 'bn'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) return `${sign}€${trimNumber(abs / size, digits)}${suffix}`;
  }
  return `${sign}€${trimNumber(abs, digits)}`;
}

function trimNumber(x: number, digits: number): string {
  if (x >= 10 ** digits) return String(Math.round(x));
  return String(Number(x.toPrecision(digits)));
}

/** A share in [0, 1] as a percentage: "12%", "0.5%". */
export function formatPercent(x: number, decimals?: number): string {
  if (!Number.isFinite(x)) return '–';
  const p = 100 * x;
  const d = decimals ?? (Math.abs(p) < 1 && p !== 0 ? 1 : 0);
  return `${formatFixed(p, d)}%`;
}

/** ROAS: revenue per euro, "€2.35 per €1" is long, so "2.35" with the unit given by the axis title. */
export function formatRoas(x: number): string {
  return formatFixed(x, 2);
}

/** "2026-09-28" → "28 Sep 2026". */
export function formatDate(iso: string): string {
  const day = isoToDay(iso);
  if (day === null) return iso;
  const d = new Date(day * 86_400_000);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Days since 1970-01-01 of an ISO date, or null when it is not one. */
export function isoToDay(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(t) ? Math.round(t / 86_400_000) : null;
}

/** ISO date of a day number (inverse of `isoToDay`). */
export function dayToIso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** "spotify_ads_spend" → "Spotify ads"; "meta_spend" → "Meta"; "tiktok_spend" → "TikTok". */
export function channelLabel(column: string): string {
  const known: Record<string, string> = {
    spotify_ads_spend: 'Spotify ads',
    meta_spend: 'Meta',
    tiktok_spend: 'TikTok',
    youtube_spend: 'YouTube',
    radio_spend: 'Radio',
    playlist_spend: 'Playlists',
    tv_spend: 'TV',
    search_spend: 'Search',
  };
  if (Object.hasOwn(known, column)) return known[column]!;
  const base = column.replace(/_spend$/, '').replace(/_/g, ' ').trim();
  return base.length ? base[0]!.toUpperCase() + base.slice(1) : column;
}

/** A number rounded for an SVG attribute (2 decimals, no "-0"). */
export function px(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}
