// One metric for several monitors side by side: the machines of a model, or the monitors of a model type.
import { gql } from './api.js';
import { h, clear, number, replaceParams, messageArea, METRICS, metricEnum } from './dom.js';
import { compareChart } from './charts.js';

const COMPARE = `query Compare($metric: Metric!, $modelId: ID, $modelType: String, $machineIds: [ID!], $from: DateTime, $bucket: Bucket) {
  compare(metric: $metric, modelId: $modelId, modelType: $modelType, machineIds: $machineIds, from: $from, bucket: $bucket) {
    modelId machineId points { bucketStart mean count }
  }
}`;

export function render(root, params) {
  const state = { metric: params.metric ?? 'RMSE', modelId: params.modelId ?? '', modelType: params.modelType ?? '', machineIds: params.machineIds ?? '',
    bucket: params.bucket ?? 'DAY', days: params.days ?? '30' };
  const message = messageArea();
  const chart = h('div.chart', { role: 'img', 'aria-label': 'Comparison chart' });
  const legend = h('div');
  let plot = null;
  const text = (name, label, placeholder) => h('label', {}, label, h('input', { name, value: state[name], placeholder, on: { change: event => { state[name] = event.target.value.trim(); } } }));
  const select = (name, label, values) => h('label', {}, label, h('select', { name, on: { change: event => { state[name] = event.target.value; load(); } } },
    values.map(([value, text]) => h('option', { value, selected: value === state[name] }, text))));
  const form = h('form.filters', { on: { submit: event => { event.preventDefault(); load(); } } },
    select('metric', 'Metric', METRICS.map(m => [metricEnum(m), m])), text('modelId', 'Model', 'e.g. energy-baseline'), text('modelType', 'or model type', ''),
    text('machineIds', 'Machines', 'comma-separated, optional'), select('bucket', 'Bucket', ['HOUR', 'DAY', 'WEEK'].map(b => [b, b])),
    select('days', 'Range', [['1', '24h'], ['7', '7d'], ['30', '30d'], ['90', '90d'], ['', 'all']]), h('button', { type: 'submit' }, 'Compare'));
  clear(root, h('h1', {}, 'Compare'), form, message, chart, legend);

  async function load() {
    replaceParams(['compare'], state);
    if (!state.modelId && !state.modelType && !state.machineIds) {
      message.show('Name a model, a model type or machines to compare.');
      return;
    }
    let trends;
    try {
      trends = (await gql(COMPARE, { metric: state.metric, modelId: state.modelId || null, modelType: state.modelType || null,
        machineIds: state.machineIds ? state.machineIds.split(',').map(s => s.trim()).filter(Boolean) : null, bucket: state.bucket,
        from: state.days ? new Date(Date.now() - Number(state.days) * 86400_000).toISOString() : null })).compare;
    } catch (error) {
      message.error(error);
      return;
    }
    message.show(`${trends.length} monitors`);
    plot?.release?.();
    plot?.destroy();
    plot = trends.some(t => t.points.length) ? compareChart(chart, trends, state.metric) : null;
    if (!plot) clear(chart, h('p.empty', {}, 'No data for these monitors in this range.'));
    chart.dataset.series = String(trends.length);
    clear(legend, h('div.table-wrap', {}, h('table', {}, h('caption', {}, 'Latest bucket of each monitor'),
      h('thead', {}, h('tr', {}, ['Monitor', 'Buckets', 'Latest mean'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, trends.map(t => h('tr', {}, h('td', {}, `${t.modelId} / ${t.machineId}`), h('td', {}, t.points.length),
        h('td', {}, number(t.points.at(-1)?.mean))))))));
  }

  load();
  return { refresh: load, onAlert: () => {}, dispose: () => { plot?.release?.(); plot?.destroy(); } };
}
