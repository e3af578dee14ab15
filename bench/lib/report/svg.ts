/**
 * A grouped bar chart as standalone SVG, enough for the report's figures without a chart
 * library: groups along x, one bar per series, an optional whisker per bar (e.g. p50 bar with
 * a p99 whisker), dashed reference lines (goals), a linear or log y axis.
 */
export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
  /** Upper end of a whisker drawn from the bar's top, per group. */
  whiskers?: (number | null)[];
}

export interface BarChart {
  title: string;
  subtitle?: string;
  yLabel: string;
  groups: string[];
  series: Series[];
  references?: { value: number; label: string }[];
  log?: boolean;
  /** Digits after the point on value labels. */
  decimals?: number;
}

const WIDTH = 900;
const HEIGHT = 460;
const MARGIN = { right: 20, bottom: 70, left: 70 };
const LEGEND_TOP = 52;
const LEGEND_ROW = 18;

/** Legend entries laid out left to right, wrapping onto as many rows as the width needs. */
function legendLayout(names: string[]): { x: number; y: number }[] {
  let x = MARGIN.left;
  let y = LEGEND_TOP;
  return names.map((name) => {
    const width = 24 + name.length * 7;
    if (x + width > WIDTH - MARGIN.right && x > MARGIN.left) {
      x = MARGIN.left;
      y += LEGEND_ROW;
    }
    const at = { x, y };
    x += width;
    return at;
  });
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(max: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= max) ?? 10 * magnitude);
}

export function barChartSvg(chart: BarChart): string {
  const values = chart.series.flatMap((s) => [...s.values, ...(s.whiskers ?? [])]).filter((v): v is number => v !== null && v > 0);
  const refs = chart.references ?? [];
  const dataMax = Math.max(...values, ...refs.map((r) => r.value), 1e-9);
  const legend = legendLayout(chart.series.map((series) => series.name));
  const marginTop = Math.max(...legend.map((l) => l.y)) + LEGEND_ROW + 12;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - marginTop - MARGIN.bottom;
  let y: (v: number) => number;
  let ticks: number[];
  if (chart.log) {
    const lo = 10 ** Math.floor(Math.log10(Math.min(...values, ...refs.map((r) => r.value))));
    const hi = 10 ** Math.ceil(Math.log10(dataMax));
    y = (v) => marginTop + plotH - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;
    ticks = [];
    for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(t);
  } else {
    const top = niceMax(dataMax * 1.05);
    y = (v) => marginTop + plotH - (v / top) * plotH;
    ticks = Array.from({ length: 6 }, (_, i) => (top * i) / 5);
  }
  const base = marginTop + plotH;
  const groupW = plotW / chart.groups.length;
  const barW = Math.min(40, (groupW * 0.8) / chart.series.length);
  const decimals = chart.decimals ?? 1;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`);
  out.push(`<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">${escape(chart.title)}</text>`);
  if (chart.subtitle) out.push(`<text x="${MARGIN.left}" y="42" fill="#555">${escape(chart.subtitle)}</text>`);
  for (const t of ticks) {
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" fill="#444">${+t.toFixed(3)}</text>`);
  }
  out.push(`<text transform="translate(18 ${marginTop + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#444">${escape(chart.yLabel)}</text>`);
  chart.groups.forEach((group, g) => {
    const x0 = MARGIN.left + g * groupW + (groupW - barW * chart.series.length) / 2;
    chart.series.forEach((series, s) => {
      const value = series.values[g];
      if (value === null || value === undefined) return;
      const x = x0 + s * barW;
      const top = y(value);
      out.push(`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${Math.max(0, base - top).toFixed(1)}" fill="${series.color}"><title>${escape(`${series.name}, ${group}: ${value}`)}</title></rect>`);
      const whisker = series.whiskers?.[g];
      const cx = x + (barW - 2) / 2;
      if (whisker !== null && whisker !== undefined && whisker > value) {
        out.push(`<line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${top.toFixed(1)}" y2="${y(whisker).toFixed(1)}" stroke="#333"/>`);
        out.push(`<line x1="${(cx - 4).toFixed(1)}" x2="${(cx + 4).toFixed(1)}" y1="${y(whisker).toFixed(1)}" y2="${y(whisker).toFixed(1)}" stroke="#333"/>`);
      }
      // A white halo keeps the value readable where a whisker runs through it.
      out.push(`<text x="${cx.toFixed(1)}" y="${(top - 4).toFixed(1)}" text-anchor="middle" font-size="10" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">${value.toFixed(decimals)}</text>`);
    });
    const lines = group.split('\n');
    lines.forEach((line, i) => out.push(`<text x="${(MARGIN.left + g * groupW + groupW / 2).toFixed(1)}" y="${base + 18 + i * 14}" text-anchor="middle" fill="#222">${escape(line)}</text>`));
  });
  // Labels alternate between the right and the left end, so that two close lines stay readable.
  refs.forEach((ref, i) => {
    const right = i % 2 === 0;
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(ref.value).toFixed(1)}" y2="${y(ref.value).toFixed(1)}" stroke="#c00" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${right ? WIDTH - MARGIN.right - 4 : MARGIN.left + 4}" y="${(y(ref.value) - 4).toFixed(1)}" text-anchor="${right ? 'end' : 'start'}" fill="#c00">${escape(ref.label)}</text>`);
  });
  out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${base}" y2="${base}" stroke="#333"/>`);
  chart.series.forEach((series, i) => {
    const { x, y: top } = legend[i]!;
    out.push(`<rect x="${x}" y="${top}" width="12" height="12" fill="${series.color}"/><text x="${x + 16}" y="${top + 10}">${escape(series.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
