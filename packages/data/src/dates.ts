/**
 * UTC calendar-date helpers. Dates are ISO `YYYY-MM-DD` strings and are handled as day numbers
 * (days since 1970-01-01, proleptic Gregorian calendar), never as local time. The day-number
 * conversions are Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms, which agree
 * with `Date.UTC` for every date but avoid its two-digit-year quirk.
 */
import { TributaryError } from './errors.js';

const ISO_DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Matches the `YYYY-MM-DD` shape (not whether the date exists). */
export const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Day number (days since 1970-01-01 UTC) of an ISO `YYYY-MM-DD` date, or `null` when the text
 * is not in that form or is not a real calendar date (e.g. `2023-02-29`).
 */
export function parseIsoDay(text: string): number | null {
  const m = ISO_DATE_SHAPE.exec(text);
  if (m === null) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return null;
  const maxDay = mo === 2 && isLeapYear(y) ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0);
  if (d > maxDay) return null;
  return daysFromCivil(y, mo, d);
}

/** ISO `YYYY-MM-DD` text of a day number (days since 1970-01-01 UTC). */
export function formatIsoDay(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const yyyy = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${yyyy}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Day of the week of a day number: 0 = Sunday … 6 = Saturday. */
export function weekdayOfDay(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((day + 4) % 7) + 7) % 7;
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** English weekday name of a day number. */
export function weekdayName(day: number): string {
  return WEEKDAY_NAMES[weekdayOfDay(day)] ?? '?';
}

/** True when `text` is an ISO `YYYY-MM-DD` date that exists in the calendar. */
export function isIsoDate(text: string): boolean {
  return parseIsoDay(text) !== null;
}

function requireDay(text: string, argument: string): number {
  const day = parseIsoDay(text);
  if (day === null) {
    throw new TributaryError(
      'INVALID_DATE',
      `${argument}: "${text}" is not a valid ISO date; write dates as YYYY-MM-DD (e.g. 2024-01-07).`,
    );
  }
  return day;
}

/**
 * The date `weeks` weeks after `isoDate` (negative `weeks` go back), as `YYYY-MM-DD`.
 * Throws `TributaryError` (`INVALID_DATE`) for a malformed date and (`INVALID_ARGUMENT`) for a
 * non-integer number of weeks.
 */
export function addWeeks(isoDate: string, weeks: number): string {
  const day = requireDay(isoDate, 'addWeeks');
  if (!Number.isInteger(weeks)) {
    throw new TributaryError('INVALID_ARGUMENT', `addWeeks: weeks must be an integer, got ${weeks}.`);
  }
  return formatIsoDay(day + 7 * weeks);
}

/**
 * Signed number of weeks from `a` to `b`: `(b − a) / 7` in days. Integer when the two dates are
 * on the same weekday, fractional otherwise (e.g. 3 days → 3/7). Throws `TributaryError`
 * (`INVALID_DATE`) for a malformed date.
 */
export function weeksBetween(a: string, b: string): number {
  return (requireDay(b, 'weeksBetween') - requireDay(a, 'weeksBetween')) / 7;
}
