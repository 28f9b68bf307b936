// The monitor's panels below its chart: drift, versions, training jobs, A/B tests and settings, each with its
// controls. Destructive actions ask first; a refused one shows the API's answer in the monitor's message area.
import { gql } from './api.js';
import { h, number, percent, time, messageArea, act, panel, table, METRICS, metricEnum } from './dom.js';

const key = ({ monitor }) => ({ modelId: monitor.modelId, machineId: monitor.machineId });

export function driftPanel(context) {
  const { monitor } = context;
  const message = messageArea();
  const report = monitor.drift;
  const check = h('button', { type: 'button', on: { click: () => act(check, message,
    () => gql('mutation D($modelId: ID!, $machineId: ID!) { checkDrift(modelId: $modelId, machineId: $machineId) { driftDetected driftScore skippedReason } }', key(context)),
    r => { context.reload(); const d = r.checkDrift; return d.skippedReason ? `Drift check skipped: ${d.skippedReason}` : `Drift ${d.driftDetected ? 'detected' : 'not detected'} (score ${number(d.driftScore)})`; }) } }, 'Check drift now');
  const measures = f => [f.psi !== null && `PSI ${number(f.psi)}`, f.ksStatistic !== null && `KS ${number(f.ksStatistic)} (p ${number(f.ksPValue)})`,
    f.wasserstein !== null && `Wasserstein ${number(f.wasserstein)}`, f.jensenShannon !== null && `JS ${number(f.jensenShannon)}`,
    f.chiSquaredPValue !== null && `χ² p ${number(f.chiSquaredPValue)}`].filter(Boolean).join(' · ');
  const summary = report
    ? h('p', {}, `Last check ${time(report.checkedAt)}: drift ${report.driftDetected ? 'detected' : 'not detected'}, score ${number(report.driftScore)}, `,
      `reference ${report.referenceSize}, current ${report.currentSize}`, report.skippedReason ? ` (skipped: ${report.skippedReason})` : '')
    : h('p.empty', {}, 'No drift check yet.');
  const rows = (report?.features ?? []).map(f => h('tr', { class: f.drifted ? 'drifted' : '' },
    h('th', { scope: 'row' }, f.feature), h('td', {}, f.kind), h('td', {}, f.method), h('td', {}, number(f.score)), h('td', {}, number(f.threshold)),
    h('td', {}, f.drifted ? h('strong', {}, 'drifted') : 'no'), h('td', {}, h('span.bar', { style: `--share:${Math.min(1, f.threshold ? f.score / f.threshold / 2 : 0)}`, 'aria-hidden': 'true' }), ' ', measures(f))));
  return panel('drift-title', 'Drift', h('p', {}, check), message, summary,
    report ? table('Features', ['Feature', 'Kind', 'Method', 'Score', 'Threshold', 'Drifted', 'Measures (bar: score against twice its threshold)'], rows) : null);
}

export function versionsPanel(context) {
  const { monitor } = context;
  const message = messageArea();
  const champion = monitor.versions.find(v => v.isChampion);
  const rows = monitor.versions.map(v => {
    const promote = h('button', { type: 'button', on: { click: () => {
      const older = champion && v.createdAt < champion.createdAt;
      if (!confirm(`${older ? 'Roll back' : 'Promote'} ${monitor.modelId} on ${monitor.machineId} to ${v.version}? The champion's window, reference and baseline start afresh.`)) return;
      act(promote, message, () => gql('mutation P($modelId: ID!, $machineId: ID!, $version: String!) { promoteVersion(modelId: $modelId, machineId: $machineId, version: $version) { activeVersion } }',
        { ...key(context), version: v.version }), r => { context.reload(); return `${r.promoteVersion.activeVersion} is champion`; });
    } } }, champion && v.createdAt < champion.createdAt ? 'Roll back to this' : 'Promote');
    return h('tr', { dataset: { version: v.version } }, h('th', { scope: 'row' }, v.version), h('td', {}, v.isChampion ? h('strong', {}, 'champion') : ''),
      h('td', {}, time(v.createdAt)), h('td', {}, Object.entries(v.metrics ?? {}).filter(([, x]) => x !== null).map(([k, x]) => `${k} ${number(x)}`).join(' · ') || '–'),
      h('td', {}, v.trainingJobId ?? '–'), h('td', {}, v.isChampion ? '' : promote));
  });
  return panel('versions-title', 'Versions', message, table('Versions', ['Version', '', 'Registered', 'Metrics', 'Training job', 'Action'], rows));
}

export function trainingPanel(context) {
  const { monitor } = context;
  const message = messageArea();
  const trigger = h('button', { type: 'button', on: { click: () => {
    const reason = prompt(`Retrain ${monitor.modelId} on ${monitor.machineId}? A reason for the record (optional):`, '');
    if (reason === null) return;
    act(trigger, message, () => gql('mutation T($modelId: ID!, $machineId: ID!, $reason: String) { triggerRetrain(modelId: $modelId, machineId: $machineId, reason: $reason) { id status } }',
      { ...key(context), reason: reason || null }), r => { setTimeout(context.reload, 1000); return `Training job ${r.triggerRetrain.id} is ${r.triggerRetrain.status}`; });
  } } }, 'Trigger retraining');
  const rows = monitor.trainingJobs.map(j => h('tr', {}, h('td', {}, time(j.createdAt)), h('td', {}, j.trigger), h('td', {}, j.status),
    h('td', {}, `${j.previousVersion ?? '–'} → ${j.newVersion ?? '–'}`), h('td', {}, percent(j.improvement)), h('td', {}, j.error ?? j.reason ?? '')));
  return panel('training-title', 'Training', h('p', {}, trigger), message, table('Training jobs', ['Created', 'Trigger', 'Status', 'Versions', 'Improvement', 'Note'], rows));
}

export function abTestsPanel(context) {
  const { monitor, abTests } = context;
  const message = messageArea();
  const rows = abTests.map(t => {
    const r = t.results;
    const stop = h('button', { type: 'button', on: { click: () => {
      if (!confirm(`Stop the A/B test ${t.versionA} vs ${t.versionB}? It ends as STOPPED and promotes nothing.`)) return;
      act(stop, message, () => gql('mutation S($id: ID!) { stopAbTest(id: $id) { status } }', { id: t.id }), () => { context.reload(); return 'A/B test stopped'; });
    } } }, 'Stop');
    return h('tr', { dataset: { test: t.id } }, h('td', {}, `${t.versionA} vs ${t.versionB}`), h('td', {}, t.status), h('td', {}, t.primaryMetric),
      h('td', {}, `${r.a.samples} / ${r.b.samples}`), h('td', {}, `${number(r.a.mean)} / ${number(r.b.mean)}`),
      h('td', {}, `${number(r.difference)} [${number(r.ciLow)}, ${number(r.ciHigh)}]`), h('td', {}, number(r.sequentialPValue)),
      h('td', {}, r.srmDetected ? 'SRM!' : ''), h('td', {}, `${r.decision}${r.winner ? ` (${percent(r.confidence)})` : ''}`),
      h('td', {}, t.status === 'RUNNING' ? stop : time(t.completedAt)));
  });
  const versions = monitor.versions.map(v => v.version);
  const field = (name, label, control) => h('label', {}, label, control);
  const choose = (name, selected) => h('select', { name }, versions.map(v => h('option', { value: v, selected: v === selected }, v)));
  const candidate = versions.find(v => v !== monitor.activeVersion);
  const form = h('form.inline-form', { on: { submit: event => {
    event.preventDefault();
    const data = new FormData(form);
    act(form.querySelector('button'), message, () => gql('mutation A($input: StartAbTestInput!) { startAbTest(input: $input) { id status } }', { input: {
      ...key(context), versionA: data.get('versionA'), versionB: data.get('versionB'), trafficSplit: Number(data.get('trafficSplit')),
      primaryMetric: data.get('primaryMetric'), minSamplesPerArm: Number(data.get('minSamplesPerArm')), durationHours: Number(data.get('durationHours')),
      autoPromote: data.get('autoPromote') === 'on' } }), () => { context.reload(); return 'A/B test started'; });
  } } },
  field('versionA', 'A', choose('versionA', monitor.activeVersion)), field('versionB', 'B', choose('versionB', candidate)),
  field('trafficSplit', 'Share of B', h('input', { name: 'trafficSplit', type: 'number', step: '0.05', min: '0.05', max: '0.95', value: '0.5' })),
  field('primaryMetric', 'Metric', h('select', { name: 'primaryMetric' }, METRICS.map(m => h('option', { value: metricEnum(m), selected: m === 'mae' }, m)))),
  field('minSamplesPerArm', 'Min per arm', h('input', { name: 'minSamplesPerArm', type: 'number', min: '2', value: '100' })),
  field('durationHours', 'Hours', h('input', { name: 'durationHours', type: 'number', min: '1', max: '2160', value: '168' })),
  h('label.check', {}, h('input', { name: 'autoPromote', type: 'checkbox' }), 'Promote B if it wins'),
  h('button', { type: 'submit' }, 'Start A/B test'));
  return panel('ab-title', 'A/B tests', message,
    table('A/B tests', ['Versions', 'Status', 'Metric', 'Samples A/B', 'Mean A/B', 'B − A [95% CI]', 'Sequential p', '', 'Decision', ''], rows, 'No A/B tests yet.'),
    versions.length >= 2 ? form : h('p.empty', {}, 'An A/B test needs two registered versions.'));
}

const SETTINGS = [
  ['warningDegradation', 'Warning at degradation', 'number', '0.01'], ['criticalDegradation', 'Critical at degradation', 'number', '0.01'],
  ['minSamples', 'Minimum samples', 'number', '1'], ['windowSize', 'Window size', 'number', '1'], ['referenceSize', 'Reference size', 'number', '1'],
  ['checkIntervalMinutes', 'Check every (minutes)', 'number', '1'], ['noDataMinutes', 'No data after (minutes)', 'number', '1'],
  ['retrainCooldownMinutes', 'Retrain cooldown (minutes)', 'number', '1'], ['autoRetrain', 'Retrain automatically', 'checkbox'],
];

export function settingsPanel(context) {
  const { monitor } = context;
  const message = messageArea();
  const config = monitor.config;
  const form = h('form.settings', { on: { submit: event => {
    event.preventDefault();
    const data = new FormData(form);
    const patch = { promotionPolicy: data.get('promotionPolicy') };
    for (const [name, , type] of SETTINGS) patch[name] = type === 'checkbox' ? data.get(name) === 'on' : Number(data.get(name));
    act(form.querySelector('button'), message,
      () => gql('mutation C($modelId: ID!, $machineId: ID!, $config: MonitorConfigInput!) { configureMonitor(modelId: $modelId, machineId: $machineId, config: $config) { health } }',
        { ...key(context), config: patch }), () => { context.reload(); return 'Settings saved'; });
  } } },
  SETTINGS.map(([name, label, type, step]) => h(type === 'checkbox' ? 'label.check' : 'label', {}, label,
    h('input', { name, type, step, value: type === 'checkbox' ? undefined : String(config[name]), checked: type === 'checkbox' ? config[name] : undefined }))),
  h('label', {}, 'Promotion policy', h('select', { name: 'promotionPolicy' }, ['MANUAL', 'AUTO_IF_BETTER', 'AB_TEST'].map(p => h('option', { value: p, selected: p === config.promotionPolicy }, p)))),
  h('button', { type: 'submit' }, 'Save settings'));
  return panel('settings-title', 'Settings', message, form);
}
