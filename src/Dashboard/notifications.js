// Notifications: the channels alerts are sent to, the latest deliveries to them, and the silences that hold them back,
// with Expire on those still in force.
import { gql } from './api.js';
import { h, clear, time, panel, table, messageArea, act } from './dom.js';

const SILENCE_FIELDS = 'id modelId machineId modelType type startsAt endsAt createdBy comment active';

const NOTIFICATIONS = `query Notifications {
  notificationChannels { id name kind url minSeverity types machineIds modelTypes repeatIntervalMinutes signed enabled }
  notificationDeliveries(first: 100) { id channelId alertId event status attempts createdAt lastAttemptAt responseStatus error }
  silences { ${SILENCE_FIELDS} }
}`;

/** A channel's or a silence's matchers in words; an unset one matches everything. */
function matchers(entries) {
  const set = entries.filter(([, value]) => value !== null && value !== undefined);
  return set.length ? set.map(([label, value]) => `${label} ${[value].flat().join(', ')}`).join(' · ') : 'all';
}

function channelsTable(channels) {
  return table('Notification channels', ['Name', 'Kind', 'Address', 'Sends', 'Reminders', 'Signed', 'Enabled'], channels.map(c =>
    h('tr', { dataset: { channel: c.id } }, h('th', { scope: 'row' }, c.name), h('td', {}, c.kind), h('td', {}, c.url),
      h('td', {}, `${c.minSeverity} and above; `, matchers([['types', c.types], ['machines', c.machineIds], ['model types', c.modelTypes]])),
      h('td', {}, c.repeatIntervalMinutes ? `every ${c.repeatIntervalMinutes} min` : 'none'), h('td', {}, c.signed ? 'yes' : 'no'),
      h('td', {}, c.enabled ? 'yes' : 'no'))));
}

function deliveriesTable(deliveries, channels) {
  // A deleted channel's deliveries stay: they show its id.
  const names = new Map(channels.map(c => [c.id, c.name]));
  return table('Latest 100 deliveries, newest first', ['Created', 'Channel', 'Event', 'Alert', 'Status', 'Attempts', 'Last attempt', 'Response'], deliveries.map(d =>
    h('tr', { dataset: { delivery: d.id, status: d.status } }, h('td', {}, time(d.createdAt)), h('td', {}, names.get(d.channelId) ?? d.channelId),
      h('td', {}, d.event), h('td', {}, d.alertId ?? '–'), h('td', {}, d.status), h('td', {}, d.attempts), h('td', {}, time(d.lastAttemptAt)),
      h('td', {}, [d.responseStatus, d.error].filter(x => x !== null).join(' ') || '–'))), 'No deliveries yet.');
}

function silencesTable(silences, message, onExpired) {
  return table('Silences, newest first', ['Matches', 'From', 'Until', 'By', 'Comment', 'State', 'Action'], silences.map(s => {
    const matches = matchers([['model', s.modelId], ['machine', s.machineId], ['model type', s.modelType], ['type', s.type]]);
    const expire = h('button', { type: 'button', on: { click: () => act(expire, message,
      () => gql(`mutation X($id: ID!) { expireSilence(id: $id) { ${SILENCE_FIELDS} } }`, { id: s.id }),
      r => { onExpired(r.expireSilence); return `Silence of ${matches} expired`; }) } }, 'Expire');
    return h('tr', { dataset: { silence: s.id, active: String(s.active) } }, h('td', {}, matches), h('td', {}, time(s.startsAt)),
      h('td', {}, time(s.endsAt)), h('td', {}, s.createdBy), h('td', {}, s.comment ?? ''), h('td.status', {}, s.active ? 'active' : 'ended'),
      h('td.actions', {}, s.active ? expire : ''));
  }));
}

export function render(root) {
  let data = null;
  const message = messageArea();
  // Its own area, kept across reloads, so that an Expire's outcome stays in view.
  const silenceMessage = messageArea();
  const lists = h('div');
  clear(root, h('h1', {}, 'Notifications'), message, lists);

  const show = () => clear(lists,
    panel('channels-title', 'Channels', channelsTable(data.notificationChannels)),
    panel('deliveries-title', 'Deliveries', deliveriesTable(data.notificationDeliveries, data.notificationChannels)),
    panel('silences-title', 'Silences', silenceMessage, silencesTable(data.silences, silenceMessage, expired)));
  function expired(silence) {
    data.silences = data.silences.map(s => (s.id === silence.id ? silence : s));
    show();
  }
  async function load() {
    try {
      data = await gql(NOTIFICATIONS);
      message.show('');
    } catch (error) {
      message.error(error);
      return;
    }
    show();
  }

  load();
  let pending;
  return {
    refresh: load,
    // An alert's events become deliveries: read them again, at most every two seconds however many alerts arrive.
    onAlert: () => { pending ??= setTimeout(() => { pending = undefined; load(); }, 2000); },
    dispose: () => clearTimeout(pending),
  };
}
