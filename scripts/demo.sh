#!/usr/bin/env bash
# `make demo`: PostgreSQL (started by the project), migrations, the demo tenants (seeded
# once, then topped up to the last hour), the control plane in front on :8080 and the
# pooled cell behind it, and the KServe model server. NATS (JetStream) carries payments from the webhook ingress to the
# cell, as in a cluster: payments have no in-process stand-in, since the two are separate
# processes. No Redis needed on one machine (in-process fallbacks).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CONTROL_PLANE_PORT="${CONTROL_PLANE_PORT:-8080}"
CELL_PORT="${CELL_PORT:-3001}"
export POOLED_CELL_URL="http://127.0.0.1:$CELL_PORT"
CELL=cell-api/dist
CP=control-plane/dist

scripts/services.sh up postgres nats
export NATS_URL="${NATS_URL:-nats://127.0.0.1:${LOCALSTORE_NATS_PORT:-54222}}"
# The models (KServe, ai/): the cell forecasts and advises through them; at start it
# catches up with the night's run, so the demo opens with today's forecasts.
scripts/model-server.sh up
export MODEL_SERVER_ADDRESS="${MODEL_SERVER_ADDRESS:-127.0.0.1:${LOCALSTORE_MODEL_GRPC_PORT:-58081}}"
node "$CELL/scripts/migrate.js"
node "$CP/scripts/migrate.js"
node "$CELL/scripts/seed-demo.js"
node "$CP/scripts/demo-directory.js" register

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
wait_ready() {
  for _ in $(seq 1 150); do
    curl -fsS "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "$3 exited; see its log above" >&2; exit 1; }
    sleep 0.2
  done
  echo "$3 did not become ready" >&2; exit 1
}

node "$CP/src/main.js" &
pids+=($!)
wait_ready "http://127.0.0.1:$CONTROL_PLANE_PORT/readyz" "${pids[-1]}" "the control plane"
# The cell trusts the control plane's keys, fetched from its JWKS and cached.
PORT="$CELL_PORT" AUTH_JWKS_URL="http://127.0.0.1:$CONTROL_PLANE_PORT/.well-known/jwks.json" node "$CELL/src/main.js" &
pids+=($!)
wait_ready "http://127.0.0.1:$CELL_PORT/readyz" "${pids[-1]}" "the cell API"

tokens_json=$(node "$CP/scripts/demo-directory.js" tokens)
node - "$tokens_json" "$CONTROL_PLANE_PORT" <<'JS'
const [tokens, port] = [JSON.parse(process.argv[2]), process.argv[3]];
const line = '─'.repeat(78);
console.log(`\n${line}\n LocalStore Platform is running (embedded): control plane on :${port}, pooled cell behind it\n${line}`);
console.log(`\n Open the app: http://app.localhost:${port}/  (owner: sign in with ${tokens[0].phone.replace('+84', '0')}; the code is in the log above as "SMS (embedded …)")`);
console.log(`   sales entry and today's orders on a store's own host: http://${tokens[0].slug}.localhost:${port}/sales/`);
for (const t of tokens) {
  console.log(`\n ${t.name}  (owner's phone ${t.phone})\n   GraphQL:  http://${t.slug}.localhost:${port}/graphql`);
  console.log(`   Token:    ${t.token}`);
}
const first = tokens[0];
const query = `{ location(id: "${first.locationId}") { name todayRevenue todayOrders averageTicket hourlyTrends { hour revenue orders } topItems(limit: 5) { name quantity revenue } paymentMix { method amount } comparison { sameWeekdayLastWeekRevenue } } }`;
console.log(`\n Today's dashboard of ${first.name}'s first location:\n`);
console.log(`   TOKEN='${first.token}'`);
console.log(`   curl -s http://${first.slug}.localhost:${port}/graphql \\
     -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
     -d '${JSON.stringify({ query })}'`);
console.log(`\n Sign in by phone instead (the code appears in the log above as "SMS (embedded …)"):\n`);
console.log(`   curl -s http://app.localhost:${port}/api/v1/auth/otp/request -H 'content-type: application/json' -d '{"phone":"${first.phone.replace('+84', '0')}"}'`);
console.log(`   curl -s http://app.localhost:${port}/api/v1/auth/otp/verify  -H 'content-type: application/json' -d '{"phone":"${first.phone.replace('+84', '0')}","code":"<code>"}'`);
console.log(`\n Payment webhooks (MoMo, ZaloPay, VNPay): http://app.localhost:${port}/api/v1/webhooks/payment/{momo,zalopay,vnpay}`);
console.log(`\n Platform: http://app.localhost:${port}/healthz   JWKS: http://app.localhost:${port}/.well-known/jwks.json`);
console.log(` Stop with Ctrl-C.\n${line}\n`);
JS
wait -n "${pids[@]}"
