// Runs the graphql-http audit suite against a GraphQL over HTTP endpoint and prints the results as JSON:
// [{ id, name, status: "ok" | "warn" | "notice" | "error", reason }], where "error" is a failed MUST,
// "warn" a failed SHOULD and "notice" a failed MAY.
// Usage: node audit.mjs http://127.0.0.1:5000/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <endpoint url>');
  process.exit(2);
}
const results = await auditServer({ url });
console.log(JSON.stringify(results.map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason ?? null }))));
