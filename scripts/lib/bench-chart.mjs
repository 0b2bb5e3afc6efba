// The bench's summary as an SVG chart: for each figure, one bar per host,
// its length the ratio of the full stack (fast path) to direct JS on a log
// scale, with the 1x line marked. `npm run bench` writes it with the JSON it
// is drawn from (docs/images/bench.json, docs/images/bench.svg); `npm run
// bench:chart` draws it again from the JSON.

const COLOURS = { chromium: '#3367d6', firefox: '#e66000', deno: '#2e7d32' };
const esc = (text) => String(text).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);

/**
 * @param {{summary: Record<string, Record<string, number | string>>, figures: string[], title?: string}} bench
 *   `summary`: host to figure to ratio (a string where there is none, e.g. 'timer')
 * @returns {string} the SVG
 */
export function benchChart({ summary, figures, title = 'full stack / direct JS (lower is better; 1x is direct JS)' }) {
  const hosts = Object.keys(summary);
  const ratios = figures.flatMap((f) => hosts.map((h) => summary[h][f])).filter((r) => typeof r === 'number' && Number.isFinite(r) && r > 0);
  const max = Math.max(2, ...ratios);
  const [labelWidth, plotWidth, barHeight, gap, top] = [130, 420, 12, 10, 40];
  const x = (ratio) => labelWidth + (Math.log(Math.max(ratio, 1)) / Math.log(max)) * plotWidth;
  const rows = [];
  let y = top;
  for (const figure of figures) {
    rows.push(`<text x="${labelWidth - 8}" y="${y + (hosts.length * barHeight) / 2 + 4}" text-anchor="end">${esc(figure)}</text>`);
    for (const host of hosts) {
      const value = summary[host][figure];
      if (typeof value === 'number' && Number.isFinite(value)) {
        const end = Math.max(x(value), labelWidth + 2);
        rows.push(`<rect x="${labelWidth}" y="${y}" width="${(end - labelWidth).toFixed(1)}" height="${barHeight - 2}" fill="${COLOURS[host] ?? '#666'}"><title>${esc(`${host} ${figure}: ${value.toFixed(2)}x`)}</title></rect>`);
        rows.push(`<text x="${(end + 4).toFixed(1)}" y="${y + barHeight - 3}" class="v">${value.toFixed(2)}x</text>`);
      } else {
        // 'timer': the host's completion timer dominates the direct figure, so the ratio would measure the timer (docs/performance.md).
        const why = value === 'timer' ? 'bound by the browser\'s completion timer, no ratio' : value ?? 'not measured';
        rows.push(`<text x="${labelWidth + 4}" y="${y + barHeight - 3}" class="v">${esc(host)}: ${esc(why)}</text>`);
      }
      y += barHeight;
    }
    y += gap;
  }
  const height = y + 20;
  const width = labelWidth + plotWidth + 70;
  const ticks = [1, 2, 5, 10, 20, 50].filter((t) => t <= max).map((t) => `<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${y - gap}" class="grid"/><text x="${x(t)}" y="${top - 10}" text-anchor="middle" class="v">${t}x</text>`);
  const legend = hosts.map((h, i) => `<rect x="${labelWidth + i * 90}" y="${height - 14}" width="10" height="10" fill="${COLOURS[h] ?? '#666'}"/><text x="${labelWidth + i * 90 + 14}" y="${height - 5}" class="v">${esc(h)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">
<style>.v { font-size: 10px; fill: #333 } .grid { stroke: #ccc; stroke-dasharray: 2 2 }</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${labelWidth}" y="16" font-weight="bold">${esc(title)}</text>
${ticks.join('\n')}
${rows.join('\n')}
${legend.join('\n')}
</svg>
`;
}

/** The chart of what `npm run bench` saved in docs/images/bench.json (null where a host had no figure). */
export function chartOfSaved({ figures, hosts }) {
  const summary = Object.fromEntries(Object.entries(hosts).map(([host, { summary: ratios }]) => [host, Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, v ?? 'not measured']))]));
  return benchChart({ summary, figures });
}
