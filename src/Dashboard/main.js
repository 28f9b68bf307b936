// The dashboard page: a view per URL (#/ fleet, #/monitor/<model>/<machine>, #/compare, #/alerts, #/notifications),
// the connection state, and the alert stream every view hears.
import { subscribe, onConnection } from './api.js';
import { route } from './dom.js';
import * as fleet from './fleet.js';
import * as monitor from './monitor.js';
import * as compare from './compare.js';
import * as alerts from './alerts.js';
import * as notifications from './notifications.js';
import { ALERT_FIELDS } from './alerts.js';
import './style.css';

const root = document.getElementById('view');
const badge = document.getElementById('alert-badge');
const connection = document.getElementById('connection');
const offline = document.getElementById('offline');
let current = null;
let unseen = 0;

function show() {
  current?.dispose();
  const { parts, params } = route();
  const [name = 'fleet', ...rest] = parts;
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.toggleAttribute('aria-current', link.dataset.nav === name || (name === 'monitor' && link.dataset.nav === 'fleet'));
  }
  if (name === 'alerts') {
    unseen = 0;
    badge.hidden = true;
  }
  current = name === 'monitor' && rest.length === 2 ? monitor.render(root, params, rest[0], rest[1])
    : name === 'compare' ? compare.render(root, params)
    : name === 'alerts' ? alerts.render(root, params)
    : name === 'notifications' ? notifications.render(root)
    : fleet.render(root, params);
  document.title = `${name === 'monitor' ? `${rest[0]} / ${rest[1]}` : name[0].toUpperCase() + name.slice(1)} · Model performance`;
  root.focus({ preventScroll: true });
}

window.addEventListener('hashchange', show);

// Every alert that opens or changes, whatever the view: the view decides what it shows.
function alertEvent(alert, raised) {
  if (raised && route().parts[0] !== 'alerts') {
    unseen += 1;
    badge.textContent = String(unseen);
    badge.hidden = false;
  }
  current?.onAlert(alert);
}
subscribe(`subscription { alertRaised { ${ALERT_FIELDS} } }`, {}, data => alertEvent(data.alertRaised, true));
subscribe(`subscription { alertChanged { ${ALERT_FIELDS} } }`, {}, data => alertEvent(data.alertChanged, false));

onConnection((online, reconnected) => {
  connection.textContent = online ? 'Live' : 'Offline';
  connection.className = `connection ${online ? 'connection-live' : 'connection-offline'}`;
  offline.hidden = online;
  document.body.dataset.connection = online ? 'live' : 'offline';
  // What happened while the socket was down reached no subscription: read it again.
  if (reconnected) current?.refresh();
});

show();
