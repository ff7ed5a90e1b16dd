#!/usr/bin/env bash
# A real kube-apiserver (with its etcd embedded) on loopback for the tests, and kubectl at the
# same release, both built from the Go module in operator/test/k8s/ (Go module proxy only).
# The binaries are cached in .local/bin/ and rebuilt only when that module changes; certificates,
# data and the kubeconfig are under .local/k8s/. Idempotent: a running server is reused, a
# stale pid file is cleared, and `down` stops only the server this script started.
#
#   scripts/k8s.sh up      build if needed, start, wait for /readyz
#   scripts/k8s.sh down    stop the server started from this .local/
#   scripts/k8s.sh build   only build (or check the cache)
#   scripts/k8s.sh reset   stop and delete the etcd data (certificates are kept)
#   scripts/k8s.sh env     print KUBECONFIG for the shell
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${LOCALSTORE_LOCAL_DIR:-$ROOT/.local}"
MODULE="$ROOT/operator/test/k8s"
BIN="$LOCAL/bin"
HARNESS_BIN="$BIN/k8s-harness"
KUBECTL="$BIN/kubectl"
STAMP="$BIN/.k8s-harness.stamp"
export LOCALSTORE_K8S_DIR="$LOCAL/k8s"
export LOCALSTORE_K8S_API_PORT="${LOCALSTORE_K8S_API_PORT:-56443}"
KUBECONFIG_FILE="$LOCALSTORE_K8S_DIR/kubeconfig"
PIDFILE="$LOCALSTORE_K8S_DIR/k8s-harness.pid"
LOGFILE="$LOCAL/log/k8s-harness.log"
READY_TIMEOUT_S="${LOCALSTORE_K8S_READY_TIMEOUT_S:-180}"

log() { printf '[k8s] %s\n' "$*" >&2; }

# The cache key: whatever changes the binaries (the module's files and the Go release).
source_hash() {
  (cd "$MODULE" && cat go.mod go.sum ./*.go && go env GOVERSION) | sha256sum | cut -c1-16
}

build() {
  # go.mod asks for Go 1.26; an older local Go fetches that toolchain from the module proxy.
  export GOTOOLCHAIN="${GOTOOLCHAIN_OVERRIDE:-auto}"
  local hash
  hash=$(source_hash)
  if [ -x "$HARNESS_BIN" ] && [ -x "$KUBECTL" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$hash" ]; then
    return 0
  fi
  mkdir -p "$BIN" "$LOCAL/log"
  local release ldflags started
  release=$(awk '$1 == "k8s.io/kubernetes" { print $2 }' "$MODULE/go.mod")
  # The version that kubectl and /version report; without it both say v0.0.0-master.
  ldflags="-s -w"
  for package in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $package.gitVersion=$release -X $package.gitTreeState=clean"
    ldflags+=" -X $package.gitMajor=$(echo "$release" | cut -d. -f1 | tr -d v)"
    ldflags+=" -X $package.gitMinor=$(echo "$release" | cut -d. -f2)"
  done
  log "building kube-apiserver + etcd and kubectl $release (first build: about 5 min on 2 cores)"
  started=$(date +%s)
  (
    cd "$MODULE"
    go build -trimpath -ldflags "$ldflags" -o "$HARNESS_BIN.tmp" .
    go build -trimpath -ldflags "$ldflags" -o "$KUBECTL.tmp" k8s.io/kubernetes/cmd/kubectl
  )
  mv -f "$HARNESS_BIN.tmp" "$HARNESS_BIN"
  mv -f "$KUBECTL.tmp" "$KUBECTL"
  echo "$hash" >"$STAMP"
  log "built in $(($(date +%s) - started))s"
}

# Our pid file names a live process that runs our binary (a pid reused by another
# program does not count; a binary replaced by a rebuild shows as "... (deleted)").
# The kernel reports a process's binary by its canonical path, so compare with ours
# canonicalised: .local/ may be a symlink (a second checkout sharing the first's servers).
harness_bin_real() { readlink -f "$HARNESS_BIN" 2>/dev/null || echo "$HARNESS_BIN"; }

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid exe
  pid=$(cat "$PIDFILE")
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [ "${exe% (deleted)}" = "$(harness_bin_real)" ] && echo "$pid"
}

running_outdated_binary() {
  [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$(harness_bin_real) (deleted)" ]
}

ready() {
  "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" --request-timeout=2s get --raw /readyz >/dev/null 2>&1
}

wait_ready() {
  local pid=$1 started
  started=$(date +%s)
  until ready; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "the API server exited; last lines of $LOGFILE:"; tail -n 20 "$LOGFILE" >&2; return 1
    fi
    if [ $(($(date +%s) - started)) -ge "$READY_TIMEOUT_S" ]; then
      log "not ready after ${READY_TIMEOUT_S}s; see $LOGFILE"; return 1
    fi
    sleep 0.2
  done
}

up() {
  build
  mkdir -p "$LOCALSTORE_K8S_DIR" "$LOCAL/log"
  local pid
  if pid=$(running_pid) && running_outdated_binary "$pid"; then
    log "the running API server (pid $pid) is from an older build; restarting it"
    down
  fi
  if pid=$(running_pid); then
    wait_ready "$pid"
    log "reusing the API server (pid $pid) at https://127.0.0.1:$LOCALSTORE_K8S_API_PORT"
    return 0
  fi
  if [ -f "$PIDFILE" ]; then log "clearing a stale pid file"; rm -f "$PIDFILE"; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$LOCALSTORE_K8S_API_PORT") 2>/dev/null; then
    log "port $LOCALSTORE_K8S_API_PORT is taken by a process this script did not start"
    log "(set LOCALSTORE_K8S_API_PORT and LOCALSTORE_K8S_ETCD_PORT to use others)"; return 1
  fi
  local started
  started=$(date +%s)
  # In its own session (a Ctrl-C in the terminal is for the tests, not for it) and without
  # the lock's descriptor, which it would otherwise hold for as long as it runs.
  (cd "$ROOT" && exec setsid "$HARNESS_BIN" >>"$LOGFILE" 2>&1 </dev/null 9>&-) &
  pid=$!
  echo "$pid" >"$PIDFILE"
  wait_ready "$pid"
  log "ready in $(($(date +%s) - started))s at https://127.0.0.1:$LOCALSTORE_K8S_API_PORT (pid $pid)"
  log "export KUBECONFIG=$KUBECONFIG_FILE"
}

down() {
  local pid
  if pid=$(running_pid); then
    kill -TERM "$pid"
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "pid $pid did not stop in 30s; killing it"; kill -KILL "$pid"; fi
    log "stopped the API server (pid $pid)"
  fi
  rm -f "$PIDFILE"
}

# One `up`/`down` at a time, so that parallel test runs do not start two servers.
mkdir -p "$LOCAL"
exec 9>"$LOCAL/k8s.lock"
flock 9

case "${1:-}" in
  up) up ;;
  down) down ;;
  build) build ;;
  reset) down; rm -rf "$LOCALSTORE_K8S_DIR/etcd"; log "deleted the etcd data" ;;
  env) echo "export KUBECONFIG=$KUBECONFIG_FILE" ;;
  *) echo "usage: $0 up | down | build | reset | env" >&2; exit 2 ;;
esac
