/** One group of bars (e.g. one N) with one value per series. */
export interface BarGroup {
  readonly label: string;
  readonly values: readonly number[];
}

/** A grouped bar chart. */
export interface BarChart {
  readonly title: string;
  readonly yLabel: string;
  /** Names of the series (one colour each); `values` of every group follow this order. */
  readonly series: readonly string[];
  readonly groups: readonly BarGroup[];
  /** A dashed horizontal line (a target), optional. */
  readonly target?: { readonly value: number; readonly label: string };
}

/** A line chart: one or more series over a shared numeric x axis. */
export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly { readonly name: string; readonly points: readonly (readonly [number, number])[] }[];
}

const W = 720;
const H = 400;
const M = { left: 70, right: 20, top: 40, bottom: 70 };
const COLOURS = ['#3b6fb6', '#d9822b', '#3a9a5b', '#b33c3c', '#7d5ba6', '#8c6d31', '#4aa3a3', '#666666'];

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

/** A "nice" upper bound and tick step for an axis from 0 (or min) to max. */
function niceScale(min: number, max: number): { lo: number; hi: number; step: number } {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= 6) ?? 10 * mag;
  return { lo: Math.floor(min / step) * step, hi: Math.ceil(max / step) * step || step, step };
}

function frame(title: string, yLabel: string, xLabel: string, lo: number, hi: number, step: number): string[] {
  const ph = H - M.top - M.bottom;
  const y = (v: number): number => M.top + ph - ((v - lo) / (hi - lo)) * ph;
  const out = [
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="16" y="${M.top + ph / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${M.top + ph / 2})">${escapeXml(yLabel)}</text>`,
    `<text x="${M.left + (W - M.left - M.right) / 2}" y="${H - 8}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#000"/>`,
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${W - M.right}" y2="${M.top + ph}" stroke="#000"/>`,
  ];
  for (let v = lo; v <= hi + step / 1000; v += step) {
    out.push(
      `<line x1="${M.left - 4}" y1="${y(v).toFixed(1)}" x2="${W - M.right}" y2="${y(v).toFixed(1)}" stroke="#e4e4e4"/>`,
      `<text x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${fmt(v)}</text>`,
    );
  }
  return out;
}

function legend(names: readonly string[]): string[] {
  return names.map((name, i) => {
    const x = M.left + 10 + (i % 4) * 160;
    const y = H - 40 + Math.floor(i / 4) * 14;
    return `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/><text x="${x + 14}" y="${y}" font-size="11">${escapeXml(name)}</text>`;
  });
}

const wrap = (body: string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">\n${body.join('\n')}\n</svg>\n`;

/** Renders a grouped bar chart as a standalone SVG document (one `<rect class="bar">` per value). */
export function renderBarChart(chart: BarChart): string {
  const values = chart.groups.flatMap((g) => g.values.filter((v) => Number.isFinite(v)));
  const max = Math.max(0, chart.target?.value ?? 0, ...values);
  const { lo, hi, step } = niceScale(0, max);
  const body = frame(chart.title, chart.yLabel, '', lo, hi, step);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const groupW = pw / Math.max(1, chart.groups.length);
  const barW = (groupW * 0.8) / Math.max(1, chart.series.length);
  chart.groups.forEach((g, gi) => {
    const gx = M.left + gi * groupW + groupW * 0.1;
    g.values.forEach((raw, si) => {
      const v = Number.isFinite(raw) ? Math.max(0, raw) : 0;
      const h = ((v - lo) / (hi - lo)) * ph;
      const x = gx + si * barW;
      body.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${(M.top + ph - h).toFixed(1)}" width="${(barW * 0.92).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[si % COLOURS.length]}"><title>${escapeXml(`${g.label} ${chart.series[si] ?? ''}: ${fmt(raw)}`)}</title></rect>`,
        `<text x="${(x + barW * 0.46).toFixed(1)}" y="${(M.top + ph - h - 3).toFixed(1)}" text-anchor="middle" font-size="10">${Number.isFinite(raw) ? fmt(raw) : 'n/a'}</text>`,
      );
    });
    body.push(`<text x="${(gx + groupW * 0.4).toFixed(1)}" y="${M.top + ph + 16}" text-anchor="middle" font-size="12">${escapeXml(g.label)}</text>`);
  });
  if (chart.target) {
    const ty = M.top + ph - ((chart.target.value - lo) / (hi - lo)) * ph;
    body.push(
      `<line x1="${M.left}" y1="${ty.toFixed(1)}" x2="${W - M.right}" y2="${ty.toFixed(1)}" stroke="#b33c3c" stroke-dasharray="6 4"/>`,
      `<text x="${W - M.right - 4}" y="${(ty - 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#b33c3c">${escapeXml(chart.target.label)}</text>`,
    );
  }
  body.push(...legend(chart.series));
  return wrap(body);
}

/** Renders a line chart as a standalone SVG document (one `<polyline class="line">` per series). */
export function renderLineChart(chart: LineChart): string {
  const pts = chart.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = pts.map(([x]) => x);
  const ys = pts.map(([, y]) => y);
  const xMin = Math.min(0, ...xs);
  const xMax = Math.max(1, ...xs);
  const ysc = niceScale(Math.min(0, ...ys), Math.max(0, ...ys));
  const body = frame(chart.title, chart.yLabel, chart.xLabel, ysc.lo, ysc.hi, ysc.step);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const px = (x: number): number => M.left + ((x - xMin) / (xMax - xMin)) * pw;
  const py = (y: number): number => M.top + ph - ((y - ysc.lo) / (ysc.hi - ysc.lo)) * ph;
  const xsc = niceScale(xMin, xMax);
  for (let v = xsc.lo; v <= xMax + xsc.step / 1000; v += xsc.step) {
    body.push(`<text x="${px(v).toFixed(1)}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${fmt(v)}</text>`);
  }
  chart.series.forEach((s, i) => {
    const p = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    body.push(
      `<polyline class="line" fill="none" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="2" points="${p.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
    );
  });
  body.push(...legend(chart.series.map((s) => s.name)));
  return wrap(body);
}
