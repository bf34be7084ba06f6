// The matrix as a standalone HTML page (no script, no outside resource), readable on screen and printed: a summary,
// an overview (one line per requirement: status and how its runs ended), then one section per family, each requirement with its clause, status and the scenarios that verify it, a result per
// rig; green passed, red failed, grey not run; uncovered requirements highlighted and listed again at the end.
//   writeFileSync('reports/allure-report/matrix.html', matrixHtml(matrix, { title: 'posrig nightly 2026-12-02' }));

import { statusCounts, uncovered } from './compute.ts';
import { FAMILIES, type Matrix, type MatrixRow, type RequirementStatus, type RunStatus } from './types.ts';

export interface HtmlOptions {
  /** The page's heading (default 'posrig certification matrix'). */
  readonly title?: string;
  /** A line under the heading: when and from what it was made. */
  readonly subtitle?: string;
}

const STATUS_CLASS: Record<RequirementStatus | RunStatus, string> = {
  verified: 'ok',
  passed: 'ok',
  'partly verified': 'part',
  failing: 'bad',
  failed: 'bad',
  skipped: 'none',
  'not run': 'none',
  'not covered': 'gap',
};

const STYLE = `
body { font: 14px/1.4 system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif; color: #1d1d1f; margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
p.sub { color: #555; margin: 0 0 12px; }
.summary span { display: inline-block; margin: 0 6px 6px 0; padding: 2px 10px; border-radius: 10px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d0d5; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f2f2f5; font-weight: 600; white-space: nowrap; }
a { color: inherit; } table.overview { width: auto; } table.overview tbody { break-inside: auto; }
td.id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: nowrap; }
td.text { color: #444; font-size: 12px; }
td.where { font-size: 12px; } td.where code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: nowrap; }
.ok { background: #d8f5dc; color: #0b5a1b; } .bad { background: #fbd9d7; color: #8a1209; font-weight: 600; }
.none { background: #ececef; color: #555; } .part { background: #fdf0c8; color: #6a4b00; }
.gap { background: #fff3a8; color: #6a4b00; font-weight: 600; }
tr.uncovered td { background: #fff8cc; } tr.uncovered td.id { border-left: 4px solid #e0a800; }
tbody { break-inside: avoid; }
@media print { body { margin: 0; font-size: 11px; } * { print-color-adjust: exact; -webkit-print-color-adjust: exact; } h2 { break-after: avoid; } }
`;

/** The escaped text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The whole page. */
export function matrixHtml(matrix: Matrix, options: HtmlOptions = {}): string {
  const title = options.title ?? 'posrig certification matrix';
  const rigs = matrix.rigs.length > 0 ? matrix.rigs : ['result'];
  const sections = FAMILIES.map(({ family, title: heading }) => {
    const rows = matrix.rows.filter((r) => r.requirement.family === family);
    if (rows.length === 0) return '';
    const head = ['requirement', 'clause', 'what must hold', 'status', 'verified by', ...rigs]
      .map((h) => `<th>${escapeHtml(h)}</th>`)
      .join('');
    return `<section><h2>${escapeHtml(heading)}</h2>\n<table><thead><tr>${head}</tr></thead>\n${rows.map((r) => rowHtml(r, rigs.length)).join('\n')}\n</table></section>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${options.subtitle ? `<p class="sub">${escapeHtml(options.subtitle)}</p>` : ''}
${summaryHtml(matrix)}
${overviewHtml(matrix)}
${sections}
${uncoveredHtml(matrix)}
</body></html>
`;
}

function summaryHtml(matrix: Matrix): string {
  const rigs = matrix.rigs.length === 0 ? 'no results: nothing run' : `results of ${matrix.rigs.join(', ')}`;
  const counts = Object.entries(statusCounts(matrix))
    .filter(([, n]) => n > 0)
    .map(
      ([status, n]) => `<span class="${STATUS_CLASS[status as RequirementStatus]}">${n} ${escapeHtml(status)}</span>`,
    )
    .join('');
  return `<p class="summary">${matrix.rows.length} requirements, ${escapeHtml(rigs)}<br>${counts}</p>`;
}

function overviewHtml(matrix: Matrix): string {
  const rows = matrix.rows.map(({ requirement: r, status, verifications }) => {
    const runs = verifications.flatMap((v) => v.runs);
    const tally = (['passed', 'failed', 'skipped', 'not run'] as const)
      .map((s) => [s, runs.filter((run) => run === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`);
    const scenarios = verifications.filter((v) => v.where !== 'posrig conformance').length;
    const what =
      r.family === 'conformance' ? 'posrig conformance' : `${scenarios} scenario${scenarios === 1 ? '' : 's'}`;
    const detail =
      verifications.length === 0 ? 'no scenario' : `${what}${tally.length > 0 ? `: ${tally.join(', ')}` : ''}`;
    return `<tr${verifications.length === 0 ? ' class="uncovered"' : ''}><td>${r.family}</td><td class="id"><a href="#${escapeHtml(r.id)}">${escapeHtml(r.id)}</a></td><td>${escapeHtml(r.clause)}</td><td class="${STATUS_CLASS[status]}">${escapeHtml(status)}</td><td>${escapeHtml(detail)}</td></tr>`;
  });
  return `<section><h2>Overview</h2>\n<table class="overview"><thead><tr><th>family</th><th>requirement</th><th>clause</th><th>status</th><th>verified by</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></section>`;
}

function rowHtml(row: MatrixRow, rigCount: number): string {
  const { requirement: r, status, verifications } = row;
  const span = Math.max(1, verifications.length);
  const rowspan = span > 1 ? ` rowspan="${span}"` : '';
  const head =
    `<td class="id"${rowspan} id="${escapeHtml(r.id)}">${escapeHtml(r.id)}</td><td${rowspan}>${escapeHtml(r.clause)}</td>` +
    `<td class="text"${rowspan}>${escapeHtml(r.text)}</td><td class="${STATUS_CLASS[status]}"${rowspan}>${escapeHtml(status)}</td>`;
  if (verifications.length === 0)
    return `<tbody><tr class="uncovered">${head}<td>no scenario</td>${'<td class="gap">—</td>'.repeat(rigCount)}</tr></tbody>`;
  const lines = verifications.map((v, i) => {
    const runs = (v.runs.length > 0 ? v.runs : (['not run'] as const))
      .map((s) => `<td class="${STATUS_CLASS[s]}">${escapeHtml(s)}</td>`)
      .join('');
    const where = `<td class="where"><code>${escapeHtml(v.where)}</code><br>${escapeHtml(v.name)}</td>`;
    return `<tr>${i === 0 ? head : ''}${where}${runs}</tr>`;
  });
  return `<tbody>${lines.join('')}</tbody>`;
}

function uncoveredHtml(matrix: Matrix): string {
  const missing = uncovered(matrix);
  if (missing.length === 0) return '<h2>Every requirement is covered</h2>';
  const items = missing
    .map(
      (r) =>
        `<li><a href="#${escapeHtml(r.id)}"><code>${escapeHtml(r.id)}</code></a> (${escapeHtml(r.clause)}): ${escapeHtml(r.text)}</li>`,
    )
    .join('\n');
  return `<section class="uncovered"><h2>Not covered by any scenario (${missing.length})</h2><ul>\n${items}\n</ul></section>`;
}
