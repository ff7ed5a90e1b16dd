#!/usr/bin/env bash
# Installs (apt, when missing) and starts the servers the project needs, on loopback,
# with their data under .local/. Idempotent: a server that already answers is reused,
# a stale pid file is cleared, and nothing this script did not start is ever stopped.
#
#   scripts/services.sh up [postgres] [redis] [nats]   (default: all three)
#   scripts/services.sh down                           stops only what .local/ started
#   scripts/services.sh env                            prints the connection variables
#   scripts/services.sh browser                        installs Debian's Chromium (the web app's tests)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${LOCALSTORE_LOCAL_DIR:-$ROOT/.local}"
PG_PORT="${LOCALSTORE_PG_PORT:-55432}"
REDIS_PORT="${LOCALSTORE_REDIS_PORT:-56379}"
NATS_PORT="${LOCALSTORE_NATS_PORT:-54222}"
NATS_MONITOR_PORT="${LOCALSTORE_NATS_MONITOR_PORT:-58222}"
PG_DB="${LOCALSTORE_PG_DATABASE:-localstore}"
PG_OWNER="${LOCALSTORE_PG_OWNER:-localstore_owner}"
PG_OWNER_PASSWORD="${LOCALSTORE_PG_OWNER_PASSWORD:-localstore_owner}"
PG_APP="${LOCALSTORE_PG_APP_USER:-localstore_app}"
PG_APP_PASSWORD="${LOCALSTORE_PG_APP_PASSWORD:-localstore_app}"
PG_CONTROL="${LOCALSTORE_PG_CONTROL_USER:-localstore_control}"
PG_CONTROL_PASSWORD="${LOCALSTORE_PG_CONTROL_PASSWORD:-localstore_control}"
# Group roles that migrations grant table privileges to; the login roles join them. The
# cell's login role cannot read the directory, and the control plane's cannot read cells.
PG_APP_GROUP="localstore_cell_app"
PG_DIRECTORY_GROUP="localstore_directory_app"

log() { printf '[services] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing with apt: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # The Debian postgresql package creates and starts a cluster on 5432; we never use it.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  local port=$1 name=$2
  for _ in $(seq 1 100); do port_open "$port" && return 0; sleep 0.1; done
  log "$name did not open port $port; see $LOCAL/log/"; return 1
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { log "no PostgreSQL server binaries found"; return 1; }
  echo "$dir"
}

# The server refuses to run as root, so it runs as the Debian 'postgres' user. That user
# must be able to traverse every folder above .local/ (add only the search bit if not).
make_traversable_for_postgres() {
  local dir=$1
  while [ "$dir" != "/" ]; do
    if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
      log "granting search permission on $dir so the postgres user can reach .local/"
      chmod o+x "$dir"
    fi
    dir=$(dirname "$dir")
  done
}

psql_super() {
  PGPASSWORD="$(cat "$LOCAL/pg/superuser.pw")" psql -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

start_postgres() {
  apt_install postgresql postgresql-contrib
  local bin data="$LOCAL/pg/data"
  bin=$(pg_bin)
  mkdir -p "$LOCAL/pg" "$LOCAL/log"
  if [ "$(id -u)" = 0 ]; then
    make_traversable_for_postgres "$LOCAL"
    chown postgres "$LOCAL/pg" "$LOCAL/log" 2>/dev/null || true
  fi
  local run=(); [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  if [ ! -f "$data/PG_VERSION" ] && port_open "$PG_PORT"; then
    log "port $PG_PORT is held by a server this checkout did not start; set LOCALSTORE_PG_PORT to a free port"
    return 1
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $data"
    [ -f "$LOCAL/pg/superuser.pw" ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$LOCAL/pg/superuser.pw"
    chmod 600 "$LOCAL/pg/superuser.pw"
    [ "$(id -u)" = 0 ] && chown postgres "$LOCAL/pg/superuser.pw"
    "${run[@]}" "$bin/initdb" -D "$data" -U postgres --pwfile="$LOCAL/pg/superuser.pw" \
      --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$data/postgresql.conf" <<CONF
# LocalStore: loopback only, no unix socket (repo paths can be longer than a socket path)
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 200
shared_buffers = 512MB
work_mem = 16MB
timezone = 'UTC'
log_timezone = 'UTC'
CONF
  fi
  if PGCONNECT_TIMEOUT=2 "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    # The server itself ignores a postmaster.pid whose process is gone; right after a crash
    # its last children may still be exiting, so try again briefly before giving up.
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    local attempt
    for attempt in 1 2 3 4 5; do
      "${run[@]}" "$bin/pg_ctl" -D "$data" -l "$LOCAL/log/postgres.log" -w -t 60 start >/dev/null 2>&1 && break
      [ "$attempt" = 5 ] && { log "PostgreSQL did not start; see $LOCAL/log/postgres.log"; return 1; }
      sleep 1
    done
  fi
  bootstrap_roles
}

# Roles and the database, created once: the owner runs migrations, the app role owns
# nothing and cannot bypass row-level security.
bootstrap_roles() {
  psql_super -d postgres <<SQL
SELECT format('CREATE ROLE %I NOLOGIN', '$PG_APP_GROUP')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_APP_GROUP') \gexec
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$PG_OWNER', '$PG_OWNER_PASSWORD')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_OWNER') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L IN ROLE %I',
              '$PG_APP', '$PG_APP_PASSWORD', '$PG_APP_GROUP')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_APP') \gexec
SELECT format('CREATE ROLE %I NOLOGIN', '$PG_DIRECTORY_GROUP')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_DIRECTORY_GROUP') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L IN ROLE %I',
              '$PG_CONTROL', '$PG_CONTROL_PASSWORD', '$PG_DIRECTORY_GROUP')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_CONTROL') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$PG_DB', '$PG_OWNER')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$PG_DB') \gexec
SQL
}

start_redis() {
  apt_install redis-server
  mkdir -p "$LOCAL/redis" "$LOCAL/log"
  if port_open "$REDIS_PORT" && [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; then
    log "Redis already running on 127.0.0.1:$REDIS_PORT"; return 0
  fi
  rm -f "$LOCAL/redis/redis.pid"
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$LOCAL/redis" --daemonize yes \
    --pidfile "$LOCAL/redis/redis.pid" --logfile "$LOCAL/log/redis.log" --save "" --appendonly no
  wait_for_port "$REDIS_PORT" Redis
}

# Debian's nats-server is 2.9; the payments stream needs `sync_interval: always` (2.10+), so
# the server is built from the Go module proxy at the release pinned in
# scripts/nats-server/go.mod, once, into .local/bin/ (keyed by that file's hash).
NATS_BIN="$LOCAL/bin/nats-server"
build_nats() {
  local stamp="$LOCAL/bin/nats-server.sum" sum
  sum=$(cat "$ROOT/scripts/nats-server/go.mod" "$ROOT/scripts/nats-server/go.sum" | sha256sum | cut -d' ' -f1)
  [ -x "$NATS_BIN" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ] && return 0
  command -v go >/dev/null || { log "Go is needed to build nats-server (apt: golang-go, or go.dev)"; return 1; }
  log "building nats-server from the Go module proxy (once)"
  mkdir -p "$LOCAL/bin"
  (cd "$ROOT/scripts/nats-server" && GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" go build -trimpath -o "$NATS_BIN.tmp" github.com/nats-io/nats-server/v2)
  mv "$NATS_BIN.tmp" "$NATS_BIN"
  echo "$sum" > "$stamp"
}

# One server, JetStream on, file store under .local/nats/store. `sync_interval: always`
# fsyncs every write before it is acknowledged, so a payment the ingress acknowledged to
# a provider survives a SIGKILL of the server (a cluster gets the same from 3 replicas).
write_nats_config() {
  cat > "$LOCAL/nats/nats.conf" <<CONF
listen: 127.0.0.1:$NATS_PORT
http: 127.0.0.1:$NATS_MONITOR_PORT
pid_file: "$LOCAL/nats/nats.pid"
max_payload: 1MB
jetstream {
  store_dir: "$LOCAL/nats/store"
  sync_interval: always
  max_file_store: 4GB
  max_memory_store: 256MB
}
CONF
}

start_nats() {
  mkdir -p "$LOCAL/nats" "$LOCAL/log"
  if port_open "$NATS_PORT"; then log "NATS already running on 127.0.0.1:$NATS_PORT"; return 0; fi
  build_nats
  write_nats_config
  rm -f "$LOCAL/nats/nats.pid"
  log "starting NATS (JetStream, synced writes) on 127.0.0.1:$NATS_PORT"
  nohup "$NATS_BIN" -c "$LOCAL/nats/nats.conf" >>"$LOCAL/log/nats.log" 2>&1 &
  wait_for_port "$NATS_PORT" NATS
}

stop_all() {
  local bin; bin=$(pg_bin 2>/dev/null || true)
  if [ -n "$bin" ] && [ -f "$LOCAL/pg/data/postmaster.pid" ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$LOCAL/pg/data" -m fast stop >/dev/null 2>&1 || true
  fi
  for pidfile in "$LOCAL/redis/redis.pid" "$LOCAL/nats/nats.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  log "stopped the servers started from $LOCAL"
}

print_env() {
  cat <<ENV
DATABASE_URL=postgres://$PG_APP:$PG_APP_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB
DATABASE_OWNER_URL=postgres://$PG_OWNER:$PG_OWNER_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB
DIRECTORY_DATABASE_URL=postgres://$PG_CONTROL:$PG_CONTROL_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB
REDIS_URL=redis://127.0.0.1:$REDIS_PORT
NATS_URL=nats://127.0.0.1:$NATS_PORT
ENV
}

cmd=${1:-up}; shift || true
case "$cmd" in
  up)
    [ $# -eq 0 ] && set -- postgres redis nats
    for s in "$@"; do "start_$s"; done ;;
  down) stop_all ;;
  env) print_env ;;
  # DejaVu covers Vietnamese, so screenshots show the diacritics, not boxes.
  browser) apt_install chromium fonts-dejavu-core ;;
  *) echo "usage: $0 up [postgres] [redis] [nats] | down | env | browser" >&2; exit 2 ;;
esac
