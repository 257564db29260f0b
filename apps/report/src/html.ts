// Small HTML helpers shared by the sections: figures, tables (sortable by a tiny inline script),
// status badges and call-outs. Every piece of text is escaped here. A table with `scroll` (one row
// per market of a large panel) scrolls in a box with its header kept in view; printed, it is whole.
import { escapeHtml } from './charts/format.js';
import type { Status, Tier } from './types.js';

/** A chart with an optional caption. `wide` spans the full width of a grid. */
export function figure(svg: string, caption?: string, options: { wide?: boolean } = {}): string {
  return `<figure class="figure${options.wide ? ' wide' : ''}">${svg}${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''}</figure>`;
}

/** Figures side by side (wrap on narrow screens). */
export function grid(items: string[], columns = 2): string {
  return `<div class="grid grid-${columns}">${items.join('')}</div>`;
}

export interface Column<T> {
  header: string;
  /** Cell text (escaped) or raw HTML via `html`. */
  value: (row: T) => string | number;
  /** Raw HTML for the cell (already escaped). */
  html?: (row: T) => string;
  /** A number to sort by (default: the value). */
  sort?: (row: T) => number | string;
  align?: 'left' | 'right' | 'center';
  title?: string;
}

/** `scroll`: a long table (one row per market of a large panel) scrolls in a box with its header kept in view. */
export function table<T>(columns: Column<T>[], rows: readonly T[], options: { caption?: string; className?: string; rowClass?: (row: T) => string; scroll?: boolean } = {}): string {
  const head = columns
    .map((c) => `<th scope="col" class="align-${c.align ?? 'left'}"${c.title ? ` title="${escapeHtml(c.title)}"` : ''}>${escapeHtml(c.header)}</th>`)
    .join('');
  const body = rows
    .map((r) => {
      const cls = options.rowClass?.(r);
      const cells = columns
        .map((c) => {
          const s = c.sort?.(r) ?? c.value(r);
          const content = c.html ? c.html(r) : escapeHtml(c.value(r));
          return `<td class="align-${c.align ?? 'left'}" data-sort="${escapeHtml(s)}">${content}</td>`;
        })
        .join('');
      return `<tr${cls ? ` class="${escapeHtml(cls)}"` : ''}>${cells}</tr>`;
    })
    .join('');
  return (
    `<div class="table-wrap${options.scroll ? ' table-scroll' : ''}"><table class="sortable ${escapeHtml(options.className ?? '')}">` +
    (options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '') +
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`
  );
}

const STATUS_TEXT: Record<Status, string> = { good: 'good', warning: 'needs attention', bad: 'not reliable' };

export function badge(status: Status, label?: string): string {
  return `<span class="badge badge-${status}">${escapeHtml(label ?? STATUS_TEXT[status])}</span>`;
}

export function tierBadge(tier: Tier): string {
  return `<span class="tier tier-${tier}">${tier}</span>`;
}

export function callout(html: string, kind: 'info' | 'warning' | 'key' = 'info'): string {
  return `<div class="callout callout-${kind}">${html}</div>`;
}

export function p(textContent: string): string {
  return `<p>${escapeHtml(textContent)}</p>`;
}

export function section(id: string, number: number, title: string, lead: string, body: string): string {
  return (
    `<section id="${escapeHtml(id)}" class="report-section" data-section="${escapeHtml(id)}">` +
    `<h2><span class="num">${number}</span>${escapeHtml(title)}</h2>` +
    `<p class="lead">${escapeHtml(lead)}</p>${body}</section>`
  );
}

export function list(items: string[]): string {
  return `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
}
