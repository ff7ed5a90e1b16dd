#!/usr/bin/env bash
# The model server (ai/, KServe) as a local process, and the Python it runs on.
#
#   scripts/model-server.sh venv    create .local/ai-venv from ai/requirements-dev.txt (once per change)
#   scripts/model-server.sh up      start it on loopback (REST :58080, gRPC :58081) and wait until ready
#   scripts/model-server.sh down    stop what `up` started
#   scripts/model-server.sh lock    rewrite ai/requirements.txt from pyproject.toml's pins
#   scripts/model-server.sh env     print MODEL_SERVER_ADDRESS, the cell's setting
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${LOCALSTORE_LOCAL_DIR:-$ROOT/.local}"
VENV="$LOCAL/ai-venv"
HTTP_PORT="${LOCALSTORE_MODEL_HTTP_PORT:-58080}"
GRPC_PORT="${LOCALSTORE_MODEL_GRPC_PORT:-58081}"
PIDFILE="$LOCAL/model-server/model-server.pid"
PYTHON="${LOCALSTORE_PYTHON:-python3.11}"

log() { printf '[model-server] %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

python_bin() {
  command -v "$PYTHON" >/dev/null && { echo "$PYTHON"; return; }
  python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null && { echo python3; return; }
  log "Python 3.11 is needed for ai/ (set LOCALSTORE_PYTHON)"; return 1
}

# Rebuilt only when a requirements file changes: the stamp holds their hash.
venv() {
  local stamp="$VENV/.requirements.sum" sum
  sum=$(cat "$ROOT/ai/requirements.txt" "$ROOT/ai/requirements-dev.txt" | sha256sum | cut -d' ' -f1)
  [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ] && return 0
  log "installing the models' Python packages into $VENV (pinned, from PyPI)"
  [ -x "$VENV/bin/python" ] || "$(python_bin)" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/ai/requirements-dev.txt"
  echo "$sum" > "$stamp"
}

lock() {
  local scratch="$LOCAL/ai-lock-venv"
  rm -rf "$scratch"
  "$(python_bin)" -m venv "$scratch"
  "$scratch/bin/pip" install -q --disable-pip-version-check "$ROOT/ai"
  { echo "# Every Python package the models run with, pinned (pip freeze of a fresh venv built from"
    echo "# pyproject.toml's direct dependencies). Regenerate: scripts/model-server.sh lock"
    "$scratch/bin/pip" freeze --exclude localstore-models | sort -f; } > "$ROOT/ai/requirements.txt"
  rm -rf "$scratch"
}

ready() {
  "$VENV/bin/python" - "$GRPC_PORT" <<'PY' 2>/dev/null
import sys, grpc
from kserve.protocol.grpc import grpc_predict_v2_pb2 as pb, grpc_predict_v2_pb2_grpc as rpc
channel = grpc.insecure_channel(f"127.0.0.1:{sys.argv[1]}")
sys.exit(0 if rpc.GRPCInferenceServiceStub(channel).ServerReady(pb.ServerReadyRequest(), timeout=2).ready else 1)
PY
}

up() {
  venv
  if port_open "$GRPC_PORT"; then
    ready && { log "already serving on :$GRPC_PORT"; return 0; }
  fi
  mkdir -p "$LOCAL/model-server" "$LOCAL/log"
  log "starting the model server (REST :$HTTP_PORT, gRPC :$GRPC_PORT)"
  # `cd` on its own line: `cd … && server &` would background a subshell, and the pid
  # written would be the subshell's, which `down` kills while the server lives on.
  (
    cd "$ROOT/ai"
    PYTHONPATH="$ROOT/ai" nohup "$VENV/bin/python" -m localstore_models \
      --http_port "$HTTP_PORT" --grpc_port "$GRPC_PORT" --configure_logging false \
      >>"$LOCAL/log/model-server.log" 2>&1 &
    echo $! > "$PIDFILE"
  )
  # Loading fits each model once (Prophet's first fit included): allow a minute.
  for _ in $(seq 1 240); do
    ready && { log "ready"; return 0; }
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { log "it exited; see $LOCAL/log/model-server.log"; tail -n 20 "$LOCAL/log/model-server.log" >&2; return 1; }
    sleep 0.5
  done
  log "not ready after 2 minutes; see $LOCAL/log/model-server.log"; return 1
}

down() {
  [ -f "$PIDFILE" ] || return 0
  local pid; pid=$(cat "$PIDFILE")
  kill "$pid" 2>/dev/null && for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

case "${1:-}" in
  venv) venv ;;
  up) up ;;
  down) down ;;
  lock) lock ;;
  env) echo "MODEL_SERVER_ADDRESS=127.0.0.1:$GRPC_PORT" ;;
  *) echo "usage: $0 venv | up | down | lock | env" >&2; exit 2 ;;
esac
