// Small helpers for building the page without a framework: elements, formatting, the URL's view and its parameters.

/** h('tag.class', { attributes, on: { click } }, ...children): an element; strings become text, never HTML. */
export function h(spec, attributes = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const element = document.createElement(tag || 'div');
  if (classes.length) element.className = classes.join(' ');
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name in element && typeof value !== 'string') {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function number(value, digits = 3) {
  if (value === null || value === undefined) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(2);
  return value.toLocaleString('en', { maximumFractionDigits: digits });
}

export function percent(value) {
  return value === null || value === undefined ? '–' : `${(value * 100).toLocaleString('en', { maximumFractionDigits: 1 })}%`;
}

export function time(value) {
  if (!value) return '–';
  const date = new Date(value);
  return date.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function ago(value) {
  if (!value) return 'never';
  const seconds = Math.round((Date.now() - new Date(value).getTime()) / 1000);
  if (seconds < 60) return `${Math.max(0, seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

export const METRICS = ['rmse', 'mae', 'mape', 'rSquared', 'accuracy', 'precision', 'recall', 'f1'];

/** The contract's enum value of a MetricSet field: rSquared is R_SQUARED. */
export const metricEnum = name => name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

export const lowerIsBetter = name => ['rmse', 'mae', 'mape'].includes(name);

/** A section with its heading, named by it for assistive technology. */
export function panel(id, title, ...children) {
  return h('section.panel', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** A captioned table of rows, or a line saying there are none. */
export function table(caption, columns, rows, empty = `No ${caption.toLowerCase()}.`) {
  if (rows.length === 0) return h('p.empty', {}, empty);
  return h('div.table-wrap', {}, h('table', {}, h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows)));
}

export function healthBadge(health) {
  return h(`span.health.health-${(health ?? 'UNKNOWN').toLowerCase()}`, {}, health ?? 'UNKNOWN');
}

/** The view and its parameters from the hash: #/monitor/m/c?x=1 is ['monitor', 'm', 'c'] and { x: '1' }. */
export function route() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: Object.fromEntries(new URLSearchParams(query)) };
}

export function href(parts, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  return `#/${parts.map(encodeURIComponent).join('/')}${query ? `?${query}` : ''}`;
}

/** Replaces the URL's parameters without a new history entry or a re-render. */
export function replaceParams(parts, params) {
  history.replaceState(null, '', href(parts, params));
}

/** A message area for a control's outcome: the API's refusal in plain words, or what was done. */
export function messageArea() {
  const area = h('p.message', { role: 'status', 'aria-live': 'polite' });
  area.show = (text, kind = 'ok') => { area.textContent = text; area.className = `message message-${kind}`; };
  area.error = error => area.show(error.code ? `${error.code}: ${error.message}` : String(error.message ?? error), 'error');
  return area;
}

/** Runs an action from a control, disabling it meanwhile, and reports the outcome in the message area. */
export async function act(button, area, action, done) {
  button.disabled = true;
  try {
    const result = await action();
    if (done) area.show(done(result));
    return result;
  } catch (error) {
    area.error(error);
    return undefined;
  } finally {
    button.disabled = false;
  }
}
