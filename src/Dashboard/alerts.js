// Alerts: the live list (alertRaised and alertChanged merged into the alerts query's answer), filtered like that
// query, with acknowledge, resolve and an hour's silence of the alert's monitor; the same table serves a monitor's own
// alerts.
import { gql } from './api.js';
import { h, clear, time, href, replaceParams, messageArea, act } from './dom.js';

export const ALERT_FIELDS = 'id modelId machineId modelType type severity status message createdAt lastSeenAt occurrences acknowledgedAt resolvedAt resolvedBy resolutionNote autoAction';

const ALERTS = `query Alerts($status: AlertStatus, $severity: Severity, $type: AlertType, $machineId: ID, $modelType: String, $modelId: ID) {
  alerts(status: $status, severity: $severity, type: $type, machineId: $machineId, modelType: $modelType, modelId: $modelId, first: 200) { ${ALERT_FIELDS} }
}`;


/** Whether an alert passes the alerts query's filters (minimum severity is not one of them: severity is exact there). */
export function matches(alert, filters) {
  return (!filters.status || alert.status === filters.status) && (!filters.severity || alert.severity === filters.severity)
    && (!filters.type || alert.type === filters.type) && (!filters.machineId || alert.machineId === filters.machineId)
    && (!filters.modelType || alert.modelType === filters.modelType) && (!filters.modelId || alert.modelId === filters.modelId);
}

/** Newest first, as the query answers; an alert that changed replaces its old self. */
export function merge(list, alert) {
  const rest = list.filter(a => a.id !== alert.id);
  rest.push(alert);
  return rest.sort((a, b) => (b.createdAt > a.createdAt ? 1 : b.createdAt < a.createdAt ? -1 : 0));
}

/** A table of alerts with their controls; onChanged gets the alert a control changed. */
export function alertTable(alerts, { showMonitor = true, onChanged, message }) {
  if (alerts.length === 0) return h('p.empty', {}, 'No alerts.');
  return h('div.table-wrap', {}, h('table.alerts', {},
    h('thead', {}, h('tr', {}, [showMonitor && 'Monitor', 'Severity', 'Type', 'Status', 'Message', 'Raised', 'Actions'].filter(Boolean).map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, alerts.map(alert => h('tr', { dataset: { alert: alert.id, status: alert.status } },
      showMonitor && h('td', {}, h('a', { href: href(['monitor', alert.modelId, alert.machineId]) }, `${alert.modelId} / ${alert.machineId}`)),
      h('td', {}, h(`span.severity.severity-${alert.severity.toLowerCase()}`, {}, alert.severity)),
      h('td', {}, alert.type), h('td.status', {}, alert.status),
      h('td', {}, alert.message, alert.autoAction ? h('small', {}, ` (${alert.autoAction})`) : null),
      h('td', { title: `last seen ${time(alert.lastSeenAt)}, ${alert.occurrences}×` }, time(alert.createdAt)),
      h('td.actions', {}, controls(alert, onChanged, message)))))));
}

function controls(alert, onChanged, message) {
  if (alert.status === 'RESOLVED') return alert.resolvedBy ? `by ${alert.resolvedBy}` : '';
  const acknowledge = h('button', { type: 'button', disabled: alert.status !== 'OPEN', on: {
    click: () => act(acknowledge, message, () => gql(`mutation A($id: ID!) { acknowledgeAlert(id: $id) { ${ALERT_FIELDS} } }`, { id: alert.id }),
      r => { onChanged?.(r.acknowledgeAlert); return `Alert acknowledged: ${alert.message}`; }),
  } }, 'Acknowledge');
  const resolve = h('button', { type: 'button', on: {
    click: () => {
      const note = prompt(`Resolve "${alert.message}"? A note for the record (optional):`, '');
      if (note === null) return;
      act(resolve, message, () => gql(`mutation R($id: ID!, $note: String) { resolveAlert(id: $id, note: $note) { ${ALERT_FIELDS} } }`, { id: alert.id, note: note || null }),
        r => { onChanged?.(r.resolveAlert); return `Alert resolved: ${alert.message}`; });
    },
  } }, 'Resolve');
  // Holds back the monitor's notifications, not the alert: it stays as it is.
  const silence = h('button', { type: 'button', on: {
    click: () => act(silence, message, () => gql('mutation S($input: SilenceInput!) { createSilence(input: $input) { endsAt } }',
      { input: { modelId: alert.modelId, machineId: alert.machineId, durationMinutes: 60, comment: 'silenced from the dashboard' } }),
    r => `${alert.modelId} / ${alert.machineId} silenced until ${time(r.createSilence.endsAt)}`),
  } }, 'Silence 1 h');
  return [acknowledge, ' ', resolve, ' ', silence];
}

export function render(root, params) {
  const filters = { status: params.status ?? 'OPEN', severity: params.severity ?? '', type: params.type ?? '', machineId: params.machineId ?? '', modelType: params.modelType ?? '', modelId: params.modelId ?? '' };
  let alerts = [];
  const message = messageArea();
  const list = h('div');
  const select = (name, label, values) => h('label', {}, label, h('select', { name, on: { change: event => { filters[name] = event.target.value; reload(); } } },
    values.map(v => h('option', { value: v, selected: v === filters[name] }, v || 'any'))));
  const text = (name, label) => h('label', {}, label, h('input', { name, type: 'search', value: filters[name], on: { change: event => { filters[name] = event.target.value.trim(); reload(); } } }));
  clear(root, h('h1', {}, 'Alerts'),
    h('form.filters', { role: 'search', on: { submit: event => { event.preventDefault(); reload(); } } },
      select('status', 'Status', ['', 'OPEN', 'ACKNOWLEDGED', 'RESOLVED']), select('severity', 'Severity', ['', 'CRITICAL', 'WARNING', 'INFO']),
      select('type', 'Type', ['', 'DATA_DRIFT', 'CONCEPT_DRIFT', 'DEGRADATION', 'NO_DATA', 'TRAINING_FAILED', 'AB_TEST_COMPLETED']),
      text('modelId', 'Model'), text('machineId', 'Machine'), text('modelType', 'Model type')),
    message, list);

  const show = () => clear(list, alertTable(alerts, { message, onChanged: changed }));
  function changed(alert) {
    alerts = matches(alert, filters) ? merge(alerts, alert) : alerts.filter(a => a.id !== alert.id);
    show();
  }
  async function reload() {
    replaceParams(['alerts'], filters);
    try {
      alerts = (await gql(ALERTS, Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, v || null])))).alerts;
      message.show('');
    } catch (error) {
      message.error(error);
    }
    show();
  }
  reload();
  return { refresh: reload, onAlert: changed, dispose: () => {} };
}
