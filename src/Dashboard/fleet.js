// The fleet: counts by health, and every monitor, worst first, filtered, searched and paged from the registry.
import { gql } from './api.js';
import { h, clear, number, ago, healthBadge, href, replaceParams, messageArea } from './dom.js';

const PAGE = 25;

const FLEET = `query Fleet($modelType: String, $machineId: ID, $health: HealthStatus, $search: String, $first: Int, $after: String) {
  fleetSummary(modelType: $modelType, machineId: $machineId) { monitors ok warning critical unknown openAlerts criticalAlerts }
  monitors(modelType: $modelType, machineId: $machineId, health: $health, search: $search, first: $first, after: $after, orderBy: WORST_FIRST) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { modelId machineId modelType health activeVersion lastEvaluatedAt
      latest { metrics { rmse mae mape rSquared accuracy f1 } } alerts(status: OPEN) { id severity } } }
  }
}`;

function latestMetrics(latest) {
  if (!latest) return '–';
  const shown = Object.entries(latest.metrics).filter(([, v]) => v !== null).slice(0, 3);
  return shown.length ? shown.map(([k, v]) => `${k} ${number(v)}`).join(' · ') : '–';
}

export function render(root, params) {
  const filters = { modelType: params.modelType ?? '', machineId: params.machineId ?? '', health: params.health ?? '', search: params.search ?? '' };
  // Cursors of the pages before this one, so that "Previous" can go back.
  const cursors = [];
  let after = null;
  const message = messageArea();
  const summary = h('section.summary', { 'aria-label': 'Fleet summary' });
  const table = h('div.table-wrap');
  const pager = h('nav.pager', { 'aria-label': 'Pages' });

  const input = (name, label, placeholder) => h('label', {}, label,
    h('input', { name, value: filters[name], placeholder, type: 'search', on: { input: event => { filters[name] = event.target.value.trim(); schedule(); } } }));
  const health = h('select', { name: 'health', on: { change: event => { filters.health = event.target.value; reload(); } } },
    ['', 'CRITICAL', 'WARNING', 'UNKNOWN', 'OK'].map(v => h('option', { value: v, selected: v === filters.health }, v || 'any')));
  const form = h('form.filters', { role: 'search', on: { submit: event => { event.preventDefault(); reload(); } } },
    input('search', 'Search', 'model or machine id'), input('machineId', 'Machine', 'exact id'), input('modelType', 'Model type', 'e.g. energy'),
    h('label', {}, 'Health', health));

  clear(root, h('h1', {}, 'Fleet'), summary, form, message, table, pager);

  let timer;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(reload, 250);
  }

  function reload() {
    cursors.length = 0;
    after = null;
    replaceParams([], filters);
    return load();
  }

  async function load() {
    let data;
    try {
      data = await gql(FLEET, {
        modelType: filters.modelType || null, machineId: filters.machineId || null, health: filters.health || null,
        search: filters.search || null, first: PAGE, after,
      });
    } catch (error) {
      message.error(error);
      return;
    }
    message.show('');
    const s = data.fleetSummary;
    clear(summary,
      card('Monitors', s.monitors), card('Critical', s.critical, 'critical'), card('Warning', s.warning, 'warning'),
      card('OK', s.ok, 'ok'), card('Unknown', s.unknown, 'unknown'), card('Open alerts', s.openAlerts), card('Critical alerts', s.criticalAlerts, 'critical'));
    const edges = data.monitors.edges;
    clear(table, edges.length === 0 ? h('p.empty', {}, 'No monitor matches.') : h('table.fleet', {},
      h('caption', {}, `${data.monitors.totalCount} monitors, worst first`),
      h('thead', {}, h('tr', {}, ['Monitor', 'Type', 'Health', 'Version', 'Latest metrics', 'Last data', 'Open alerts'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, edges.map(({ node }) => h('tr', { dataset: { monitor: `${node.modelId}/${node.machineId}` } },
        h('td', {}, h('a', { href: href(['monitor', node.modelId, node.machineId]) }, `${node.modelId} / ${node.machineId}`)),
        h('td', {}, node.modelType), h('td', {}, healthBadge(node.health)), h('td', {}, node.activeVersion ?? '–'),
        h('td', {}, latestMetrics(node.latest)), h('td', { title: node.lastEvaluatedAt ?? '' }, ago(node.lastEvaluatedAt)),
        h('td.alerts-count', {}, node.alerts.length ? h('span.badge', {}, node.alerts.length) : '0'))))));
    clear(pager,
      h('button', { type: 'button', disabled: cursors.length === 0, on: { click: () => { after = cursors.pop() ?? null; load(); } } }, 'Previous'),
      h('span', {}, `page ${cursors.length + 1}`),
      h('button', { type: 'button', disabled: !data.monitors.pageInfo.hasNextPage, on: { click: () => { cursors.push(after); after = data.monitors.pageInfo.endCursor; load(); } } }, 'Next'));
  }

  load();
  let pending;
  return {
    refresh: load,
    // Alerts change health and counts: reload, at most every two seconds however many arrive.
    onAlert: () => { pending ??= setTimeout(() => { pending = undefined; load(); }, 2000); },
    dispose: () => { clearTimeout(timer); clearTimeout(pending); },
  };
}

function card(label, value, kind) {
  return h(`div.card${kind ? `.card-${kind}` : ''}`, {}, h('span.card-value', {}, value), h('span.card-label', {}, label));
}
