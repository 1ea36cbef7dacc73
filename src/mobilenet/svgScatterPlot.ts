/** One point of a {@link svgScatterPlot}. */
export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  /** Printed beside the point. */
  readonly label?: string;
  /** Points of the same series share a colour and a legend entry. Default ''. */
  readonly series?: string;
}

/** What to draw. */
export interface ScatterPlotOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly points: readonly ScatterPoint[];
  /** A line y = intercept + slope * x drawn across the plot, e.g. a least-squares fit. */
  readonly line?: { readonly slope: number; readonly intercept: number; readonly label: string };
  /** A line of small print under the plot (sources, omitted points). */
  readonly note?: string;
  /** Pixels. Default 720 x 480. */
  readonly width?: number;
  readonly height?: number;
}

const COLOURS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
  '#e377c2',
  '#17becf',
];
const MARGIN = { left: 70, right: 150, top: 40, bottom: 70 };

/**
 * A self-contained SVG scatter plot with axes, "nice" ticks, point labels, a legend per series
 * and an optional line. Pure: returns the document as a string. Non-finite points are skipped.
 */
export function svgScatterPlot(options: ScatterPlotOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 480;
  const points = options.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xTicks = niceTicks(padded(points.map((p) => p.x)));
  const yTicks = niceTicks(padded(points.map((p) => p.y)));
  const x0 = xTicks[0] ?? 0;
  const x1 = xTicks[xTicks.length - 1] ?? 1;
  const y0 = yTicks[0] ?? 0;
  const y1 = yTicks[yTicks.length - 1] ?? 1;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number): number => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number): number => MARGIN.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const f = (v: number): string => v.toFixed(1);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`);
  out.push(
    `<defs><clipPath id="plot-area"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`,
  );
  out.push(
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`,
  );

  // Grid, ticks and axes.
  for (const t of xTicks) {
    out.push(
      `<line x1="${f(sx(t))}" y1="${MARGIN.top}" x2="${f(sx(t))}" y2="${MARGIN.top + plotH}" stroke="#e5e5e5"/>`,
    );
    out.push(
      `<text x="${f(sx(t))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${formatTick(t)}</text>`,
    );
  }
  for (const t of yTicks) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${f(sy(t))}" x2="${MARGIN.left + plotW}" y2="${f(sy(t))}" stroke="#e5e5e5"/>`,
    );
    out.push(
      `<text x="${MARGIN.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${formatTick(t)}</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
  );
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 36}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
  );
  out.push(
    `<text x="18" y="${MARGIN.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 18 ${MARGIN.top + plotH / 2})">` +
      `${escapeXml(options.yLabel)}</text>`,
  );

  if (options.line) {
    const { slope, intercept } = options.line;
    out.push(
      `<line x1="${f(sx(x0))}" y1="${f(sy(intercept + slope * x0))}" x2="${f(sx(x1))}" y2="${f(sy(intercept + slope * x1))}" ` +
        `stroke="#888" stroke-dasharray="6 4" clip-path="url(#plot-area)"/>`,
    );
  }

  // Points, grouped by series in first-seen order.
  const series = [...new Set(points.map((p) => p.series ?? ''))];
  for (const p of points) {
    const colour = COLOURS[series.indexOf(p.series ?? '') % COLOURS.length] ?? '#000';
    out.push(`<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="4" fill="${colour}"/>`);
    if (p.label !== undefined) {
      out.push(
        `<text x="${f(sx(p.x) + 6)}" y="${f(sy(p.y) - 6)}" font-size="10">${escapeXml(p.label)}</text>`,
      );
    }
  }

  // Legend.
  const legendX = MARGIN.left + plotW + 14;
  let legendY = MARGIN.top + 10;
  for (const [i, name] of series.entries()) {
    if (name === '') continue;
    out.push(
      `<circle cx="${legendX}" cy="${legendY}" r="4" fill="${COLOURS[i % COLOURS.length] ?? '#000'}"/>`,
    );
    out.push(`<text x="${legendX + 10}" y="${legendY + 4}">${escapeXml(name)}</text>`);
    legendY += 18;
  }
  if (options.line) {
    out.push(
      `<line x1="${legendX - 6}" y1="${legendY}" x2="${legendX + 6}" y2="${legendY}" stroke="#888" stroke-dasharray="4 2"/>`,
    );
    out.push(
      `<text x="${legendX + 10}" y="${legendY + 4}">${escapeXml(options.line.label)}</text>`,
    );
  }
  if (options.note !== undefined) {
    out.push(
      `<text x="${MARGIN.left}" y="${height - 12}" font-size="10" fill="#555">${escapeXml(options.note)}</text>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/**
 * Evenly spaced round tick values (steps of 1, 2 or 5 x 10^k) that cover the values, about five
 * of them. An empty or constant input still gets a non-empty range.
 */
export function niceTicks(values: readonly number[], target = 5): number[] {
  let lo = values.length === 0 ? 0 : Math.min(...values);
  let hi = values.length === 0 ? 1 : Math.max(...values);
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const first = Math.floor(lo / step);
  const last = Math.ceil(hi / step);
  const ticks: number[] = [];
  // Multiplying integer counts by the step avoids accumulating rounding error.
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** The extremes of the values widened by 5% of their range, so no point sits on the frame. */
function padded(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

function formatTick(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** Escapes the five XML special characters. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
