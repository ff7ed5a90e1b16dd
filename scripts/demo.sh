#!/usr/bin/env bash
# `make demo`: PostgreSQL (started by the project), migrations, the demo tenants (seeded
# once), then the cell API in the foreground. No Redis or NATS needed on one machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PORT="${PORT:-3001}"
DIST=cell-api/dist

scripts/services.sh up postgres
node "$DIST/scripts/migrate.js"
node "$DIST/scripts/seed-demo.js"
# Demo signing keys and tokens must exist before the cell reads the JWKS file.
tokens_json=$(node "$DIST/scripts/demo-tokens.js")

node "$DIST/src/main.js" &
cell_pid=$!
trap 'kill "$cell_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$cell_pid" 2>/dev/null || { echo "the cell API exited; see its log above" >&2; exit 1; }
  sleep 0.2
done

node - "$tokens_json" "$PORT" <<'JS'
const [tokens, port] = [JSON.parse(process.argv[2]), process.argv[3]];
const line = '─'.repeat(78);
console.log(`\n${line}\n LocalStore Platform — cell API is running (embedded)\n${line}`);
for (const t of tokens) {
  console.log(`\n ${t.name}\n   GraphQL:  http://${t.slug}.localhost:${port}/graphql`);
  console.log(`   Token:    ${t.token}`);
}
const first = tokens[0];
const query = `{ location(id: "${first.locationId}") { name todayRevenue todayOrders averageTicket hourlyTrends { hour revenue orders } topItems(limit: 5) { name quantity revenue } paymentMix { method amount } comparison { sameWeekdayLastWeekRevenue } } }`;
console.log(`\n Example (today's dashboard of ${first.name}'s first location):\n`);
console.log(`   TOKEN='${first.token}'`);
console.log(`   curl -s http://${first.slug}.localhost:${port}/graphql \\
     -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
     -d '${JSON.stringify({ query })}'`);
console.log(`\n Health: http://127.0.0.1:${port}/healthz  Ready: /readyz  Metrics: /metrics`);
console.log(` Stop with Ctrl-C.\n${line}\n`);
JS
wait "$cell_pid"
