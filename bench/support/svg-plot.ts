/**
 * Minimal SVG line charts, written by hand so the plots need no plotting library,
 * no network font and no CDN: panels side by side, optional log-scale x axis, and
 * a dashed horizontal line for a limit.
 */

export interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly logX?: boolean;
  readonly logY?: boolean;
  /** A limit drawn as a dashed line (when it is within 3× the data's range). */
  readonly limit?: { readonly y: number; readonly label: string };
}

const W = 360;
const H = 260;
const M = { left: 58, right: 12, top: 28, bottom: 44 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  if (a >= 1) return `${+v.toPrecision(3)}`;
  return v.toPrecision(2);
}

function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
    return out;
  }
  const span = max - min || 1;
  const step = 10 ** Math.floor(Math.log10(span / 4));
  const nice = [1, 2, 5, 10].map((k) => k * step).find((s) => span / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-9; v += nice) out.push(v);
  return out;
}

function panel(p: Panel, offsetX: number): string {
  const all = p.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (all.length === 0) return '';
  let [xMin, xMax] = [Math.min(...all.map((a) => a[0])), Math.max(...all.map((a) => a[0]))];
  let yMax = Math.max(...all.map((a) => a[1]));
  let yMin = p.logY ? Math.min(...all.map((a) => a[1])) : 0;
  if (p.limit && p.limit.y <= yMax * 3) yMax = Math.max(yMax, p.limit.y);
  if (p.logX) { xMin = 10 ** Math.floor(Math.log10(xMin)); xMax = 10 ** Math.ceil(Math.log10(xMax)); }
  if (p.logY) { yMin = 10 ** Math.floor(Math.log10(Math.max(yMin, 1e-9))); yMax = 10 ** Math.ceil(Math.log10(yMax)); } else { yMax *= 1.08; }
  if (xMax === xMin) { xMax += 1; xMin -= p.logX ? 0 : 1; }
  // Position along an axis, 0..1, linear or logarithmic.
  const frac = (v: number, lo: number, hi: number, log?: boolean) =>
    (log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo || 1));
  const sx = (x: number) => offsetX + M.left + frac(x, xMin, xMax, p.logX) * (W - M.left - M.right);
  const sy = (y: number) => M.top + (1 - frac(y, yMin, yMax, p.logY)) * (H - M.top - M.bottom);
  const out: string[] = [];
  out.push(`<text x="${offsetX + W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${esc(p.title)}</text>`);
  out.push(`<rect x="${offsetX + M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#999"/>`);
  for (const t of ticks(xMin, xMax, !!p.logX)) {
    out.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#999"/>`);
    out.push(`<text x="${sx(t)}" y="${H - M.bottom + 15}" text-anchor="middle" font-size="10">${fmt(t)}</text>`);
  }
  for (const t of ticks(yMin, yMax, !!p.logY)) {
    out.push(`<line x1="${offsetX + M.left - 4}" x2="${offsetX + W - M.right}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/>`);
    out.push(`<text x="${offsetX + M.left - 6}" y="${sy(t) + 3}" text-anchor="end" font-size="10">${fmt(t)}</text>`);
  }
  out.push(`<text x="${offsetX + W / 2 + M.left / 2}" y="${H - 8}" text-anchor="middle" font-size="11">${esc(p.xLabel)}</text>`);
  out.push(`<text transform="translate(${offsetX + 13},${H / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(p.yLabel)}</text>`);
  if (p.limit && p.limit.y <= yMax) {
    out.push(`<line x1="${offsetX + M.left}" x2="${offsetX + W - M.right}" y1="${sy(p.limit.y)}" y2="${sy(p.limit.y)}" stroke="#d62728" stroke-dasharray="5,4"/>`);
    out.push(`<text x="${offsetX + W - M.right - 4}" y="${sy(p.limit.y) - 4}" text-anchor="end" font-size="10" fill="#d62728">${esc(p.limit.label)}</text>`);
  }
  p.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of pts) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${color}"/>`);
    if (p.series.length > 1) {
      out.push(`<rect x="${offsetX + M.left + 8}" y="${M.top + 8 + i * 14}" width="10" height="3" fill="${color}"/>`);
      out.push(`<text x="${offsetX + M.left + 22}" y="${M.top + 12 + i * 14}" font-size="10">${esc(s.name)}</text>`);
    }
  });
  return out.join('\n');
}

/** One SVG document with the panels side by side. */
export function svgChart(panels: readonly Panel[]): string {
  const width = W * panels.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" font-family="sans-serif">`,
    `<rect width="${width}" height="${H}" fill="white"/>`,
    ...panels.map((p, i) => panel(p, i * W)),
    '</svg>',
    '',
  ].join('\n');
}
