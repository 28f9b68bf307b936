// Subscribes with the graphql-ws client and prints, one JSON line each: "ready" once the subscription is
// live, then the payload of each event; after <count> events it completes the subscription and exits.
// The server makes a subscription live before it handles the socket's next message, so the answer to a
// query sent after the subscribe on the same socket means that no later event is missed.
// Usage: node subscribe.mjs ws://127.0.0.1:5000/graphql '<subscription>' '<variables JSON>' <count>
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, query, variables, count] = process.argv.slice(2);
if (!url || !query || !variables || !count) {
  console.error('usage: node subscribe.mjs <ws url> <subscription> <variables JSON> <count>');
  process.exit(2);
}

const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0 });
const events = client.iterate({ query, variables: JSON.parse(variables) });
const first = events.next();
await new Promise((resolve, reject) =>
  client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: reject, complete: resolve }));
console.log(JSON.stringify('ready'));

let received = 0;
for (let result = await first; !result.done; result = await events.next()) {
  console.log(JSON.stringify(result.value));
  if (++received >= Number(count)) {
    break;
  }
}
await events.return();
await client.dispose();
