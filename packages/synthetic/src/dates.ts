// UTC calendar helpers for ISO YYYY-MM-DD dates.
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch of an ISO date at 00:00 UTC, or NaN when it is not a real date. */
export function isoToMs(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === iso ? ms : Number.NaN;
}

export function msToIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `iso` shifted by a whole number of weeks. */
export function shiftWeeks(iso: string, weeks: number): string {
  return msToIso(isoToMs(iso) + weeks * 7 * DAY_MS);
}

/** Day of the year, 0-based (Jan 1 = 0). */
export function dayOfYear(iso: string): number {
  const ms = isoToMs(iso);
  const year = new Date(ms).getUTCFullYear();
  return Math.round((ms - Date.UTC(year, 0, 1)) / DAY_MS);
}
