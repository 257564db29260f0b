/** Warning texts shared by parsing and panel construction (identical texts are merged). */

/** At most this many dates are listed in one gap warning. */
const MAX_LISTED_DATES = 12;

export function listDates(dates: readonly string[], max: number = MAX_LISTED_DATES): string {
  const shown = dates.slice(0, max).join(', ');
  return dates.length > max ? `${shown} and ${dates.length - max} more` : shown;
}

export function gapWarning(market: string, missingDates: readonly string[]): string {
  const n = missingDates.length;
  return (
    `market "${market}" has ${n} missing week${n === 1 ? '' : 's'} inside its date range ` +
    `(${listDates(missingDates)}); those weeks get spend 0 for carryover and no likelihood term.`
  );
}

export function zeroSpendWarning(market: string, channel: string): string {
  return (
    `market "${market}" has ${channel} = 0 in every row; its scaled spend is 0 and its ` +
    `${channel} coefficient is informed by the prior only.`
  );
}

export function ignoredColumnWarning(column: string): string {
  return `ignored column "${column}": it is not date, country, a channel, the target or a control (pass --controls ${column} to use it as a control).`;
}

export function unnamedColumnWarning(position: number): string {
  return `ignored column ${position}: it has no name in the header (a saved row index? write the CSV without it).`;
}

export function constantControlWarning(control: string): string {
  return `control "${control}" has the same value in every row; it cannot be told apart from the intercept (its standardized values are 0).`;
}

/** Concatenates warning lists, keeping the first occurrence of each text. */
export function mergeWarnings(...lists: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const list of lists) {
    for (const w of list) {
      if (!seen.has(w)) {
        seen.add(w);
        out.push(w);
      }
    }
  }
  return out;
}
