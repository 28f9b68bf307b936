// One monitor: its state, trend charts with baseline, warning level and forecast, degradation, drift, alerts,
// versions, training, A/B tests and settings; charts and alerts move with the monitor's events.
import { gql, subscribe } from './api.js';
import { h, clear, number, percent, time, ago, healthBadge, href, replaceParams, METRICS, metricEnum, lowerIsBetter, messageArea } from './dom.js';
import { trendChart } from './charts.js';
import { alertTable, merge, ALERT_FIELDS } from './alerts.js';
import { driftPanel, versionsPanel, trainingPanel, abTestsPanel, settingsPanel } from './panels.js';

const METRIC_FIELDS = METRICS.join(' ');

const MONITOR = `query Monitor($modelId: ID!, $machineId: ID!) {
  monitor(modelId: $modelId, machineId: $machineId) {
    modelId machineId modelType task activeVersion evaluationCount sampleCount lastEvaluatedAt health
    current { ${METRIC_FIELDS} } baseline { ${METRIC_FIELDS} }
    degradation { metric baseline current relativeChange status }
    drift { checkedAt driftDetected driftScore referenceSize currentSize skippedReason
      features { feature kind method score threshold drifted psi ksStatistic ksPValue wasserstein jensenShannon chiSquaredPValue } }
    alerts { ${ALERT_FIELDS} }
    versions { version createdAt isChampion trainingJobId metrics { ${METRIC_FIELDS} } }
    trainingJobs(first: 10) { id trigger status reason createdAt completedAt previousVersion newVersion improvement error abTestId }
    forecast { metric slopePerDay now projected horizonHours warningAt criticalAt evaluations }
    config { checkIntervalMinutes warningDegradation criticalDegradation minSamples referenceSize windowSize ksAlpha distanceThreshold
      driftShareThreshold noDataMinutes autoRetrain retrainCooldownMinutes promotionPolicy positiveLabel trainerUrl }
  }
  abTests(modelId: $modelId, machineId: $machineId) { id versionA versionB trafficSplit primaryMetric status startedAt endsAt completedAt autoPromote
    results { a { samples mean stdDev } b { samples mean stdDev } difference relativeLift ciLow ciHigh pValue sequentialPValue srmDetected confidence winner decision } }
}`;

const TREND = `query Trend($modelId: ID!, $machineId: ID!, $metric: Metric!, $from: DateTime, $bucket: Bucket) {
  monitor(modelId: $modelId, machineId: $machineId) { trend(metric: $metric, from: $from, bucket: $bucket) { bucketStart count mean min max } }
}`;

const RANGES = { '24h': 1, '7d': 7, '30d': 30, '90d': 90, all: null };

export function render(root, params, modelId, machineId) {
  const state = { metric: params.metric ?? null, bucket: params.bucket ?? 'HOUR', range: params.range ?? '7d' };
  const message = messageArea();
  const header = h('section.monitor-header');
  const chart = h('div.chart', { role: 'img', 'aria-label': 'Trend chart' });
  const chartControls = h('form.filters');
  const metricsTable = h('div');
  const alertsBox = h('div');
  const panels = h('div.panels');
  let monitor = null;
  let plot = null;
  let alerts = [];

  clear(root, header, message,
    h('section.panel', { 'aria-labelledby': 'trend-title' }, h('h2', { id: 'trend-title' }, 'Trend'), chartControls, chart, metricsTable),
    h('section.panel', { 'aria-labelledby': 'alerts-title' }, h('h2', { id: 'alerts-title' }, 'Alerts'), alertsBox),
    panels);

  function availableMetrics() {
    const m = monitor;
    return METRICS.filter(k => [m.current, m.baseline, ...m.versions.map(v => v.metrics)].some(set => set?.[k] !== null && set?.[k] !== undefined));
  }

  function controls() {
    const metrics = availableMetrics();
    if (!state.metric || !metrics.includes(state.metric)) state.metric = metrics[0] ?? 'rmse';
    const select = (name, label, values) => h('label', {}, label, h('select', { name, on: { change: event => { state[name] = event.target.value; remember(); drawTrend(); } } },
      values.map(v => h('option', { value: v, selected: v === state[name] }, v))));
    clear(chartControls, select('metric', 'Metric', metrics.length ? metrics : ['rmse']), select('bucket', 'Bucket', ['MINUTE', 'HOUR', 'DAY', 'WEEK']),
      select('range', 'Range', Object.keys(RANGES)));
  }

  function remember() {
    replaceParams(['monitor', modelId, machineId], state);
  }

  async function drawTrend() {
    const days = RANGES[state.range];
    let points;
    try {
      points = (await gql(TREND, { modelId, machineId, metric: metricEnum(state.metric), bucket: state.bucket,
        from: days ? new Date(Date.now() - days * 86400_000).toISOString() : null })).monitor?.trend ?? [];
    } catch (error) {
      message.error(error);
      return;
    }
    const baseline = monitor.baseline?.[state.metric] ?? null;
    const w = monitor.config.warningDegradation;
    const warning = baseline === null ? null : lowerIsBetter(state.metric) ? baseline * (1 + w) : baseline * (1 - w);
    const forecast = monitor.forecast.find(f => f.metric === metricEnum(state.metric));
    plot?.release?.();
    plot?.destroy();
    plot = null;
    if (points.length === 0) {
      clear(chart, h('p.empty', {}, `No ${state.metric} evaluations in this range.`));
      chart.dataset.points = '0';
      return;
    }
    plot = trendChart(chart, { points, baseline, warning, forecast, label: state.metric });
    chart.dataset.points = String(points.length);
    chart.dataset.last = String(points.at(-1).mean);
  }

  function showHeader() {
    const m = monitor;
    clear(header,
      h('p.crumbs', {}, h('a', { href: '#/' }, 'Fleet'), ' / ', `${m.modelId} / ${m.machineId}`),
      h('h1', {}, `${m.modelId} on ${m.machineId}`, ' ', healthBadge(m.health)),
      h('dl.facts', {},
        fact('Model type', m.modelType), fact('Task', m.task ?? '–'), fact('Champion', m.activeVersion ?? '–'),
        fact('Evaluations', m.evaluationCount), fact('Samples', m.sampleCount), fact('Last data', `${ago(m.lastEvaluatedAt)} (${time(m.lastEvaluatedAt)})`)),
      h('p', {}, h('a', { href: href(['compare'], { modelId: m.modelId, metric: metricEnum(state.metric ?? 'rmse') }) }, `Compare the machines of ${m.modelId}`)));
  }

  function showMetrics() {
    const m = monitor;
    const byMetric = new Map(m.degradation.map(d => [d.metric, d]));
    const rows = availableMetrics().map(k => {
      const d = byMetric.get(metricEnum(k));
      const f = m.forecast.find(x => x.metric === metricEnum(k));
      return h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, number(m.current[k])), h('td', {}, number(m.baseline?.[k])),
        h('td', {}, d ? percent(d.relativeChange) : '–'), h('td', {}, d ? healthBadge(d.status) : '–'),
        h('td', {}, f ? `${number(f.slopePerDay)}/day → ${number(f.projected)} in ${f.horizonHours} h` : '–'),
        h('td', {}, f?.warningAt ? time(f.warningAt) : '–'), h('td', {}, f?.criticalAt ? time(f.criticalAt) : '–'));
    });
    clear(metricsTable, h('div.table-wrap', {}, h('table.metrics', {},
      h('caption', {}, 'Current against baseline, degradation and forecast'),
      h('thead', {}, h('tr', {}, ['Metric', 'Current', 'Baseline', 'Change', 'Status', 'Forecast', 'Warning at', 'Critical at'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows))));
  }

  const showAlerts = () => clear(alertsBox, alertTable(alerts, { showMonitor: false, message, onChanged: alertChanged }));
  function alertChanged(alert) {
    alerts = merge(alerts, alert);
    showAlerts();
  }

  /** Everything afresh; with panels false the forms below the chart are left as they are (someone may be typing). */
  async function load(withPanels = true) {
    let data;
    try {
      data = await gql(MONITOR, { modelId, machineId });
    } catch (error) {
      message.error(error);
      return;
    }
    if (!data.monitor) {
      clear(header, h('p.crumbs', {}, h('a', { href: '#/' }, 'Fleet')), h('h1', {}, 'Not found'), h('p', {}, `There is no monitor of ${modelId} on ${machineId}.`));
      return;
    }
    monitor = data.monitor;
    alerts = monitor.alerts;
    showHeader();
    controls();
    showMetrics();
    showAlerts();
    if (withPanels) {
      const context = { monitor, abTests: data.abTests, message, reload: load };
      clear(panels, driftPanel(context), versionsPanel(context), trainingPanel(context), abTestsPanel(context), settingsPanel(context));
    }
    await drawTrend();
  }

  // New evaluations move the chart; the monitor's numbers follow, at most twice a second.
  let pending;
  const refreshSoon = () => { pending ??= setTimeout(() => { pending = undefined; load(false); }, 500); };
  const stop = subscribe('subscription E($modelId: ID!, $machineId: ID!) { evaluationRecorded(modelId: $modelId, machineId: $machineId) { id } }',
    { modelId, machineId }, refreshSoon);

  load();
  return {
    refresh: load,
    onAlert: alert => { if (alert.modelId === modelId && alert.machineId === machineId) { alertChanged(alert); refreshSoon(); } },
    dispose: () => { stop(); clearTimeout(pending); plot?.release?.(); plot?.destroy(); },
  };
}

function fact(label, value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, String(value)));
}
