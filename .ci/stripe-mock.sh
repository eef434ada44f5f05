#!/usr/bin/env bash
# Start Stripe's official mock API server (stripe-mock) for tests, bound to 127.0.0.1 (see
# DESIGN.md, "Real services").
#
# Builds github.com/stripe/stripe-mock@<version> from the Go module proxy with
# `go install` into ~/.cache/ocop/stripe-mock-<version>/bin/ and starts it in the background.
# Idempotent: if stripe-mock already answers on the port it does nothing; a second run reuses the
# built binary. Go's own module and build caches (go env GOMODCACHE / GOCACHE) are used as usual.
#
# Use locally:
#   bash .ci/stripe-mock.sh
#   STRIPE_API_BASE=http://127.0.0.1:12111 make test
# or let the script set the variable (its only stdout line is the export):
#   eval "$(bash .ci/stripe-mock.sh)"
# Stop it:
#   kill "$(cat ~/.cache/ocop/stripe-mock-v0.203.0/stripe-mock.pid)"
# Log: ~/.cache/ocop/stripe-mock-<version>/stripe-mock.log. Remove that directory to rebuild.
#
# Settings (environment, all optional):
#   STRIPE_MOCK_VERSION (v0.203.0)   STRIPE_MOCK_PORT (12111)   STRIPE_MOCK_HTTPS_PORT (12112)
#   STRIPE_MOCK_CACHE_DIR (~/.cache/ocop/stripe-mock-$STRIPE_MOCK_VERSION)
#   STRIPE_MOCK_WAIT_SECONDS (60)
#   STRIPE_MOCK_GO_TOOLCHAIN (go1.22.12): used only when the Go found is older than the
#   go 1.22.1 that stripe-mock's go.mod asks for (Debian bookworm's golang-go is 1.19): that Go
#   fetches this toolchain as the module golang.org/toolchain from the Go module proxy (what
#   GOTOOLCHAIN does in Go 1.21+) and it builds stripe-mock. Checked with go1.19.8 and go1.26.8.
#   Without `go` on PATH (or in /usr/local/go/bin), as root apt installs golang-go.
#
# The mock validates requests against Stripe's OpenAPI spec bundled in the binary (v0.203.0:
# API version 2026-08-26.dahlia; no strict check of the Stripe-Version the client sends) and
# answers with fixture data, keeping no state: top-level scalar params are copied into the reply
# (client_reference_id, success_url, mode, currency, a refund's amount and payment_intent), but
# not metadata, and nothing is computed (a Checkout Session's amount_total is null, its
# line_items are the fixture's); retrieving any id returns the fixture under that id.
# Unknown or mistyped params get a 400 as from Stripe. Any key of the form sk_test_... works. stripe-mock always opens an HTTPS listener
# unless told where: it is pinned to 127.0.0.1:$STRIPE_MOCK_HTTPS_PORT so nothing listens on
# 0.0.0.0.
set -euo pipefail

STRIPE_MOCK_VERSION="${STRIPE_MOCK_VERSION:-v0.203.0}"
STRIPE_MOCK_PORT="${STRIPE_MOCK_PORT:-12111}"
STRIPE_MOCK_HTTPS_PORT="${STRIPE_MOCK_HTTPS_PORT:-12112}"
STRIPE_MOCK_WAIT_SECONDS="${STRIPE_MOCK_WAIT_SECONDS:-60}"
STRIPE_MOCK_GO_TOOLCHAIN="${STRIPE_MOCK_GO_TOOLCHAIN:-go1.22.12}"
STRIPE_MOCK_CACHE_DIR="${STRIPE_MOCK_CACHE_DIR:-${HOME}/.cache/ocop/stripe-mock-${STRIPE_MOCK_VERSION}}"
STRIPE_MOCK_URL="http://127.0.0.1:${STRIPE_MOCK_PORT}"
MODULE="github.com/stripe/stripe-mock"
GO_MIN_MINOR=22 # stripe-mock's go.mod: go 1.22.1

BIN="${STRIPE_MOCK_CACHE_DIR}/bin/stripe-mock"
PID_FILE="${STRIPE_MOCK_CACHE_DIR}/stripe-mock.pid"
LOG_FILE="${STRIPE_MOCK_CACHE_DIR}/stripe-mock.log"
export DEBIAN_FRONTEND=noninteractive

log() { printf '== stripe-mock: %s\n' "$*" >&2; }
die() { printf '== stripe-mock: ERROR: %s\n' "$*" >&2; exit 1; }

apt_install() {
  [ "$(id -u)" -eq 0 ] || die "need to install $* (apt-get) but not running as root"
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >&2; APT_UPDATED=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

# Answers a Stripe API call with JSON on the port? (any sk_test_ key is accepted)
mock_answers() {
  curl -fsS --max-time 3 -H "Authorization: Bearer sk_test_123" \
    "${STRIPE_MOCK_URL}/v1/customers?limit=1" 2>/dev/null | grep -q '"object"'
}

finish() {
  log "stripe-mock ${STRIPE_MOCK_VERSION} answering at ${STRIPE_MOCK_URL}"
  echo "export STRIPE_API_BASE=${STRIPE_MOCK_URL}"
  exit 0
}

# Minor version of the go command "$1" (1.19.8 -> 19; 0 if unknown).
go_minor() {
  local v
  v="$(GOTOOLCHAIN=local "$1" env GOVERSION 2>/dev/null)" || v=""
  [ -n "$v" ] || v="$("$1" version 2>/dev/null | awk '{print $3}')" || true
  v="${v#go1.}"
  v="${v%%[!0-9]*}"
  echo "${v:-0}"
}

# A go command new enough for stripe-mock's go.mod: "$1" itself, or else the toolchain module
# golang.org/toolchain@v0.0.1-$STRIPE_MOCK_GO_TOOLCHAIN.<os>-<arch> fetched with it.
pick_go() {
  local go_cmd="$1" mod dir
  if [ "$(go_minor "$go_cmd")" -ge "$GO_MIN_MINOR" ]; then
    echo "$go_cmd"
    return
  fi
  mod="golang.org/toolchain@v0.0.1-${STRIPE_MOCK_GO_TOOLCHAIN}.$("$go_cmd" env GOOS)-$("$go_cmd" env GOARCH)"
  log "$("$go_cmd" version | cut -d' ' -f3) is older than go1.${GO_MIN_MINOR}; fetching ${mod}"
  dir="$(cd / && GO111MODULE=on "$go_cmd" mod download -json "$mod" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')" || true
  [ -n "$dir" ] && [ -f "${dir}/bin/go" ] || die "could not fetch ${mod} with $("$go_cmd" version)"
  # The module cache is read-only; the go command marks its tools executable the same way.
  chmod u+x "${dir}/bin/"* "${dir}/pkg/tool/"*/* 2>/dev/null || true
  echo "${dir}/bin/go"
}

show_log_and_die() {
  log "$1; last 30 lines of ${LOG_FILE}:"
  tail -n 30 "$LOG_FILE" >&2 2>/dev/null || true
  exit 1
}

# Our server from an earlier run, still alive (perhaps still starting)? Dies if it was started
# from this cache dir on another port (one pid file per cache dir).
pid_alive() {
  local pid cmdline
  [ -s "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null)" || return 1
  case "$cmdline" in *stripe-mock*) ;; *) return 1 ;; esac
  case "$cmdline" in
    *" 127.0.0.1:${STRIPE_MOCK_PORT} "*) return 0 ;;
    *) die "stripe-mock pid ${pid} from ${STRIPE_MOCK_CACHE_DIR} runs on another port (${cmdline% }); stop it (kill ${pid}) or set another STRIPE_MOCK_CACHE_DIR" ;;
  esac
}

wait_ready() {
  local deadline=$((SECONDS + STRIPE_MOCK_WAIT_SECONDS)) pid="${1:-}"
  while [ "$SECONDS" -lt "$deadline" ]; do
    if mock_answers; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      show_log_and_die "stripe-mock (pid ${pid}) exited"
    fi
    sleep 1
  done
  show_log_and_die "stripe-mock did not answer on ${STRIPE_MOCK_URL} within ${STRIPE_MOCK_WAIT_SECONDS}s"
}

# --- already running? ------------------------------------------------------------------------
if mock_answers; then
  log "already answering on ${STRIPE_MOCK_URL}; nothing to start"
  finish
fi

mkdir -p "$STRIPE_MOCK_CACHE_DIR"
exec 9>"${STRIPE_MOCK_CACHE_DIR}.lock"
flock 9 # one run at a time per version

if pid_alive; then
  log "pid $(cat "$PID_FILE") from an earlier run is still starting; waiting"
  wait_ready "$(cat "$PID_FILE")"
  finish
fi

# --- tools: curl, Go -------------------------------------------------------------------------
command -v curl >/dev/null || apt_install curl ca-certificates
if [ ! -x "$BIN" ]; then
  if ! command -v go >/dev/null; then
    if [ -x /usr/local/go/bin/go ]; then
      PATH="/usr/local/go/bin:${PATH}"
    elif [ "$(id -u)" -eq 0 ]; then
      log "no go on PATH; installing golang-go"
      apt_install golang-go ca-certificates
    else
      die "Go is needed to build stripe-mock: install it (e.g. apt-get install golang-go) or put go on PATH"
    fi
  fi
  command -v go >/dev/null || die "no go on PATH after installing golang-go"
  GO_CMD="$(pick_go "$(command -v go)")"

  # --- build -----------------------------------------------------------------------------------
  log "building ${MODULE}@${STRIPE_MOCK_VERSION} with $("$GO_CMD" version | cut -d' ' -f3) into ${STRIPE_MOCK_CACHE_DIR}/bin"
  # From / so no go.mod or go.work of a project is read; the module's own go.mod decides.
  # GOTOOLCHAIN=local: the go picked above builds it (no switch to another toolchain).
  (cd / && GOTOOLCHAIN=local GO111MODULE=on GOBIN="${STRIPE_MOCK_CACHE_DIR}/bin" \
    GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
    "$GO_CMD" install "${MODULE}@${STRIPE_MOCK_VERSION}") >&2 # stdout is for the export line
  [ -x "$BIN" ] || die "go install finished but ${BIN} is missing"
fi

# --- start -----------------------------------------------------------------------------------
rm -f "$PID_FILE"
log "starting stripe-mock ${STRIPE_MOCK_VERSION} on ${STRIPE_MOCK_URL} (HTTPS on 127.0.0.1:${STRIPE_MOCK_HTTPS_PORT})"
# Both listeners pinned to loopback: with -http-addr alone stripe-mock still opens HTTPS on
# [::]:12112. setsid keeps it out of our session; fd 9 (the lock) is closed so it does not hold it.
setsid "$BIN" -http-addr "127.0.0.1:${STRIPE_MOCK_PORT}" \
  -https-addr "127.0.0.1:${STRIPE_MOCK_HTTPS_PORT}" </dev/null >"$LOG_FILE" 2>&1 9>&- &
echo $! >"$PID_FILE"
wait_ready "$(cat "$PID_FILE")"
log "up ${SECONDS}s after this script started (pid $(cat "$PID_FILE"))"
finish
