// The report's inline stylesheet and the tiny inline script that makes tables sortable.
// Screen: a centred 1100px column; print: A4, no navigation, figures kept whole. Long tables
// (`.table-scroll`, large panels) scroll in a 30rem box on screen and print in full.

export const REPORT_CSS = `
:root { --ink:#1f2430; --muted:#5c6370; --line:#e3e6eb; --bg:#f6f7f9; --card:#ffffff; --accent:#1a5fb4;
  --good:#2b8a3e; --warn:#c77700; --bad:#c92a2a; --sparse:#d9480f; --medium:#f0a43a; --rich:#2b8a3e; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; background:var(--bg); color:var(--ink); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.page { background:#14213d; color:#fff; padding:28px 0 22px; }
header.page .inner, main, nav.toc .inner, footer .inner { max-width:1100px; margin:0 auto; padding:0 24px; }
header.page h1 { margin:0 0 4px; font-size:28px; letter-spacing:-0.01em; }
header.page p { margin:0; color:#c9d3e6; }
nav.toc { background:#fff; border-bottom:1px solid var(--line); }
nav.toc ol { list-style:none; display:flex; flex-wrap:wrap; gap:2px 14px; margin:0; padding:8px 0; font-size:13px; }
nav.toc a { color:var(--accent); text-decoration:none; }
nav.toc a:hover { text-decoration:underline; }
main { padding-top:18px; padding-bottom:40px; }
.report-section, .summary { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:22px 26px; margin:18px 0; }
h2 { font-size:22px; margin:0 0 6px; display:flex; align-items:center; gap:10px; }
h2 .num { display:inline-flex; width:30px; height:30px; border-radius:50%; background:var(--accent); color:#fff; font-size:15px; align-items:center; justify-content:center; flex:none; }
h3 { font-size:17px; margin:22px 0 8px; }
p.lead { color:#3a404c; margin:0 0 14px; max-width:920px; }
.hint { color:var(--muted); font-size:13px; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background:#f1f3f5; padding:1px 4px; border-radius:3px; }
.grid { display:grid; gap:14px 22px; margin:10px 0; }
.grid-2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
.grid-3 { grid-template-columns: repeat(3, minmax(0, 1fr)); }
@media (max-width: 900px) { .grid-2, .grid-3, .summary-grid { grid-template-columns: 1fr; } }
figure.figure { margin:8px 0; min-width:0; }
figure.figure svg.chart { width:100%; height:auto; display:block; overflow:visible; }
.report-section { scroll-margin-top: 8px; }
figure.figure figcaption { color:var(--muted); font-size:13px; margin-top:4px; }
.table-wrap { overflow-x:auto; margin:12px 0; }
.table-scroll { max-height:30rem; overflow-y:auto; border:1px solid var(--line); border-radius:6px; }
.table-scroll thead th { position:sticky; top:0; z-index:1; }
.table-scroll caption { position:sticky; left:0; background:#fff; padding:6px 10px; }
table { border-collapse:collapse; width:100%; font-size:13.5px; }
caption { text-align:left; color:var(--muted); font-size:13px; padding:0 0 6px; }
th, td { padding:6px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#f3f5f8; font-weight:600; white-space:nowrap; text-align:left; }
th.align-right { text-align:right; } th.align-center { text-align:center; }
table.sortable th { cursor:pointer; user-select:none; }
tr.total td { font-weight:600; border-bottom:1.5px solid var(--muted); }
table.sortable th[aria-sort="ascending"]::after { content:" ▲"; font-size:10px; }
table.sortable th[aria-sort="descending"]::after { content:" ▼"; font-size:10px; }
tr:hover td { background:#fafbfc; }
.align-right { text-align:right; font-variant-numeric: tabular-nums; }
.align-center { text-align:center; }
.badge { display:inline-block; font-size:12px; font-weight:600; padding:2px 9px; border-radius:999px; vertical-align:middle; margin-left:6px; }
.badge-good { background:#e3f4e6; color:var(--good); }
.badge-warning { background:#fff0d6; color:#9c5a00; }
.badge-bad { background:#fde2e2; color:var(--bad); }
.tier { display:inline-block; font-size:12px; padding:1px 8px; border-radius:999px; color:#fff; }
.tier-sparse { background:var(--sparse); } .tier-medium { background:var(--medium); color:#3b2600; } .tier-rich { background:var(--rich); }
.bad-value { color:var(--bad); font-weight:600; } .warn-value { color:#9c5a00; font-weight:600; } .good-value { color:var(--good); font-weight:600; }
.callout { border-left:4px solid var(--accent); background:#eef4fc; padding:10px 14px; border-radius:6px; margin:12px 0; }
.callout p { margin:4px 0; }
.callout-warning { border-color:var(--warn); background:#fff6e5; }
.callout-key { border-color:var(--good); background:#ecf7ee; }
.model-cards { display:grid; gap:18px; }
.model-card { border:1px solid var(--line); border-radius:8px; padding:14px 18px; }
.model-card h3 { margin:0; }
.kv-grid { display:grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap:8px; margin:12px 0; }
.kv { background:#f6f7f9; border-radius:6px; padding:8px 10px; }
.kv .k { display:block; font-size:12px; color:var(--muted); }
.kv .v { font-size:17px; font-weight:600; font-variant-numeric: tabular-nums; }
.kv-bad { background:#fff1f0; } .kv-bad .v { color:var(--bad); }
.reasons { margin:6px 0; padding-left:20px; color:#3a404c; font-size:14px; }
.rank-grid { display:grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap:8px 14px; }
.sbc-grid { display:grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap:6px 16px; }
.sbc-grid .figure { margin:0; }
.failure-grid { display:grid; gap:18px; }
.failure-grid.cols-2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
@media (max-width: 900px) { .failure-grid.cols-2 { grid-template-columns: 1fr; } }
.failure-panel { border:1px solid var(--line); border-top:4px solid var(--good); border-radius:8px; padding:12px 16px; min-width:0; }
.failure-panel.status-warning { border-top-color:var(--warn); }
.failure-panel.status-bad { border-top-color:var(--bad); }
.failure-panel h3 { margin:0 0 6px; }
.verdict { font-weight:500; }
table.indicators td:first-child { width:56%; }
table.indicators td.indicator-value .badge { margin:0 0 4px; }
td.indicator-value.status-bad { background:#fff5f5; }
.failure-panel .verdict { margin:4px 0 0; }
.summary h2 { font-size:20px; }
.summary-grid { display:grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap:12px; margin-top:10px; }
.summary-item { background:#f6f7f9; border-radius:8px; padding:10px 14px; }
.summary-item .k { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
.summary-item .v { font-size:18px; font-weight:600; margin:2px 0; }
.summary-item .d { font-size:13px; color:#3a404c; }
details { margin:10px 0; } summary { cursor:pointer; color:var(--accent); }
footer { color:var(--muted); font-size:12.5px; padding:10px 0 30px; }
footer ul { padding-left:18px; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background:#fff; font-size:10.5pt; }
  nav.toc { display:none; }
  header.page { background:#fff; color:var(--ink); padding:0 0 8px; border-bottom:2px solid var(--ink); }
  header.page p { color:var(--muted); }
  header.page .inner, main, footer .inner { max-width:none; padding:0; }
  .report-section, .summary { border:none; padding:0; margin:0 0 10mm; break-before: page; }
  .summary { break-before:auto; }
  figure.figure, .model-card, .failure-panel, table, .callout, .summary-item { break-inside: avoid; }
  .table-scroll { max-height:none; overflow:visible; border:none; }
  .table-scroll table { break-inside:auto; }
  h2, h3 { break-after: avoid; }
  .grid-2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .failure-grid.cols-2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  details { display:block; } details > summary { display:none; }
  tr:hover td { background:none; }
  a { color:inherit; text-decoration:none; }
}
`;

/** Click a column header to sort by it (numbers numerically, by the cell's data-sort value). */
export const SORT_SCRIPT = `
(function () {
  var tables = document.querySelectorAll('table.sortable');
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.querySelectorAll('thead th');
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener('click', function () {
        var body = table.tBodies[0];
        if (!body) return;
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col] ? a.cells[col].getAttribute('data-sort') : '';
          var y = b.cells[col] ? b.cells[col].getAttribute('data-sort') : '';
          var nx = parseFloat(x), ny = parseFloat(y);
          var r = (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y) ? nx - ny : String(x).localeCompare(String(y));
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
`;
