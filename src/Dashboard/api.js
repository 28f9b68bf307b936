// The page's only way to the service: GraphQL over HTTP for queries and mutations, graphql-transport-ws for
// subscriptions. The socket reconnects with backoff forever; listeners hear when it goes and comes back.
import { createClient } from 'graphql-ws';

/** A refused call: the API's code (BAD_USER_INPUT, CONFLICT, ...) and message, shown to the user as they are. */
export class ApiError extends Error {
  constructor(message, code, path) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

export async function gql(query, variables = {}) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('the service cannot be reached', 'OFFLINE');
  }
  if (response.status === 401) {
    // The sign-in cookie is missing, expired or revoked: sign in again and come back here.
    location.href = `/signin?returnUrl=${encodeURIComponent(location.pathname + location.search + location.hash)}`;
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`the service answered ${response.status}`, 'UNAVAILABLE');
  }
  if (body.errors?.length) {
    const error = body.errors[0];
    throw new ApiError(error.message, error.extensions?.code ?? 'ERROR', error.extensions?.inputPath);
  }
  return body.data;
}

const connectionListeners = new Set();
let online = false;
let everConnected = false;

/** Calls listener(online, reconnected) at each change of the socket's state, from the first connection attempt's outcome on. */
export function onConnection(listener) {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

let known = false;

function setOnline(value) {
  if (known && value === online) return;
  known = true;
  const reconnected = value && everConnected;
  online = value;
  everConnected ||= value;
  for (const listener of connectionListeners) listener(online, reconnected);
}

const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;

const client = createClient({
  url: socketUrl,
  lazy: false,
  keepAlive: 10_000,
  retryAttempts: Number.MAX_SAFE_INTEGER,
  shouldRetry: () => true,
  // 0.5 s, 1 s, 2 s ... up to 10 s, with jitter so that many pages do not return at once.
  retryWait: retries => new Promise(resolve => setTimeout(resolve, Math.min(10_000, 500 * 2 ** retries) * (0.75 + Math.random() / 2))),
  on: {
    connected: () => setOnline(true),
    closed: () => setOnline(false),
    error: () => setOnline(false),
  },
});

/** Subscribes; onData gets each event's data. Returns the function that ends the subscription. */
export function subscribe(query, variables, onData) {
  return client.subscribe({ query, variables }, {
    next: result => { if (result.data) onData(result.data); },
    error: () => {},
    complete: () => {},
  });
}
