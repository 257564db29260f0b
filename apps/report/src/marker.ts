// The marker renderReport writes near the top of every report's <head>, so that a program (the
// CLI, before it overwrites a file) can tell a report of ours from someone else's HTML file.
// It carries no version, so reports of every version are recognised.

/** The tag every rendered report has in its <head>, within the first 1024 bytes of the file. */
export const REPORT_MARKER = '<meta name="generator" content="tributary-report">';

/**
 * Whether `head`, the beginning of a file decoded as utf8 (the CLI reads its first 4096 bytes),
 * is a report written by renderReport: it holds REPORT_MARKER before any <body>.
 */
export function isTributaryReport(head: string): boolean {
  const at = head.indexOf(REPORT_MARKER);
  if (at < 0) return false;
  const body = head.search(/<body[\s>]/i);
  return body < 0 || at < body;
}
