// Time-series charts on uPlot: a metric's trend with its baseline, warning level and forecast; several monitors side by side.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f', '#7c3aed', '#b45309'];

function axisColor() {
  return getComputedStyle(document.documentElement).getPropertyValue('--muted').trim() || '#666';
}

function size(container) {
  return { width: Math.max(280, container.clientWidth || 600), height: 240 };
}

/** Keeps a chart as wide as its container. */
function fit(chart, container) {
  const observer = new ResizeObserver(() => chart.setSize(size(container)));
  observer.observe(container);
  chart.release = () => observer.disconnect();
}

const seconds = iso => new Date(iso).getTime() / 1000;

/**
 * One metric over time: the buckets' means, with the baseline and warning level as flat lines and the forecast as a
 * line from now to its horizon, each where known.
 */
export function trendChart(container, { points, baseline, warning, forecast, label }) {
  const xs = points.map(p => seconds(p.bucketStart));
  const series = [{}, { label, stroke: palette[0], width: 2, points: { show: points.length < 60 } }];
  const columns = [xs, points.map(p => p.mean)];
  if (forecast) {
    const start = Date.now() / 1000;
    const end = start + forecast.horizonHours * 3600;
    xs.push(start, end);
    columns[1].push(null, null);
    columns.push([...points.map(() => null), forecast.now, forecast.projected]);
    series.push({ label: 'forecast', stroke: palette[4], dash: [6, 4], width: 2 });
  }
  for (const [name, value, color] of [['baseline', baseline, palette[2]], ['warning level', warning, palette[1]]]) {
    if (value === null || value === undefined) continue;
    columns.push(xs.map(() => value));
    series.push({ label: name, stroke: color, dash: [2, 4], width: 1, points: { show: false } });
  }
  return draw(container, series, columns);
}

/** The same metric for several monitors, one series each; buckets that a monitor lacks are gaps. */
export function compareChart(container, trends, metricLabel) {
  const xs = [...new Set(trends.flatMap(t => t.points.map(p => seconds(p.bucketStart))))].sort((a, b) => a - b);
  const columns = [xs, ...trends.map(t => {
    const byTime = new Map(t.points.map(p => [seconds(p.bucketStart), p.mean]));
    return xs.map(x => byTime.get(x) ?? null);
  })];
  const series = [{}, ...trends.map((t, i) => ({ label: `${t.machineId} (${t.modelId})`, stroke: palette[i % palette.length], width: 2, spanGaps: true }))];
  return draw(container, series, columns, metricLabel);
}

function draw(container, series, columns, yLabel) {
  container.replaceChildren();
  const stroke = axisColor();
  const grid = { stroke: 'rgba(128,128,128,0.2)' };
  const chart = new uPlot({
    ...size(container),
    series,
    scales: { x: { time: true } },
    axes: [{ stroke, grid }, { stroke, grid, label: yLabel, size: 60 }],
    legend: { live: true },
  }, columns, container);
  fit(chart, container);
  return chart;
}
