#!/usr/bin/env bash
# Start a local S3-compatible server for tests: moto's server mode from the project's venv, bound to
# 127.0.0.1 (see DESIGN.md, "Real services"; MinIO is AGPL, so not that), with the media bucket in it.
#
# Needs .venv (`make venv`: requirements.txt brings moto[server] and boto3). Idempotent: if a server
# already answers on the port nothing is started; either way the bucket is created if missing and
# given a public-read bucket policy, as a bucket that serves renditions to browsers has: moto answers
# an anonymous GET with 403 otherwise. A policy rather than S3_DEFAULT_ACL=public-read, since new AWS
# buckets have ACLs disabled (setting one fails there). moto keeps everything in memory: stopping the
# server drops the bucket and its objects, and a run of this script brings the bucket back.
#
# Use locally (its only stdout is one export line):
#   eval "$(bash .ci/s3.sh)" && make test
# Stop it:
#   kill "$(cat ~/.cache/ocop/s3/moto.pid)"
# Log: ~/.cache/ocop/s3/moto.log.
#
# Settings (environment, all optional):
#   S3_PORT (9000)   S3_BUCKET (ocop-media-test)   S3_CACHE_DIR (~/.cache/ocop/s3)   S3_WAIT_SECONDS (30)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
S3_PORT="${S3_PORT:-9000}"
S3_BUCKET="${S3_BUCKET:-ocop-media-test}"
S3_CACHE_DIR="${S3_CACHE_DIR:-${HOME}/.cache/ocop/s3}"
S3_WAIT_SECONDS="${S3_WAIT_SECONDS:-30}"
S3_URL="http://127.0.0.1:${S3_PORT}"
PY="${ROOT}/.venv/bin/python"
MOTO="${ROOT}/.venv/bin/moto_server"
PID_FILE="${S3_CACHE_DIR}/moto.pid"
LOG_FILE="${S3_CACHE_DIR}/moto.log"
# moto accepts any keys; these are the names the settings read (S3_* in storefront/settings/base.py).
EXPORTS="S3_ENDPOINT_URL=${S3_URL} S3_BUCKET=${S3_BUCKET} S3_ACCESS_KEY_ID=test S3_SECRET_ACCESS_KEY=test"
EXPORTS="${EXPORTS} S3_REGION=us-east-1"

log() { printf '== s3: %s\n' "$*" >&2; }
die() { printf '== s3: ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$S3_BUCKET" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die "S3_BUCKET=${S3_BUCKET} is not a valid bucket name"
[ -x "$PY" ] && [ -x "$MOTO" ] || die "${MOTO} is missing: run \`make venv\` first (requirements.txt has moto[server])"

# Answers S3's ListBuckets on the port? (moto answers it unsigned)
s3_answers() {
  "$PY" - "$S3_URL" 2>/dev/null <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/", timeout=3) as reply:
    sys.exit(0 if b"ListAllMyBucketsResult" in reply.read() else 1)
PY
}

# The bucket, created if missing, readable by anyone (GetObject only: no listing, no writes).
ensure_bucket() {
  "$PY" - "$S3_URL" "$S3_BUCKET" >&2 <<'PY'
import json, sys
import boto3
from botocore.exceptions import ClientError

url, bucket = sys.argv[1:]
s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
try:
    s3.head_bucket(Bucket=bucket)
except ClientError:
    s3.create_bucket(Bucket=bucket)
    print(f"== s3: created bucket {bucket}")
s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
    "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
    "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
PY
}

finish() {
  ensure_bucket || die "could not create bucket ${S3_BUCKET} on ${S3_URL}"
  log "moto answering at ${S3_URL}, bucket ${S3_BUCKET} (public read)"
  echo "export ${EXPORTS}"
  exit 0
}

show_log_and_die() {
  log "$1; last 30 lines of ${LOG_FILE}:"
  tail -n 30 "$LOG_FILE" >&2 2>/dev/null || true
  exit 1
}

# Our server from an earlier run, still alive (perhaps still starting) on this port?
pid_alive() {
  local pid
  [ -s "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  case "$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null)" in
    *moto_server*" -p ${S3_PORT} "*) return 0 ;;
    *) return 1 ;;
  esac
}

wait_ready() {
  local deadline=$((SECONDS + S3_WAIT_SECONDS)) pid="$1"
  while [ "$SECONDS" -lt "$deadline" ]; do
    if s3_answers; then return 0; fi
    kill -0 "$pid" 2>/dev/null || show_log_and_die "moto_server (pid ${pid}) exited"
    sleep 0.5
  done
  show_log_and_die "moto_server did not answer on ${S3_URL} within ${S3_WAIT_SECONDS}s"
}

if s3_answers; then
  log "already answering on ${S3_URL}; nothing to start"
  finish
fi

mkdir -p "$S3_CACHE_DIR"
exec 9>"${S3_CACHE_DIR}.lock"
flock 9 # one run at a time

if pid_alive; then
  log "pid $(cat "$PID_FILE") from an earlier run is still starting; waiting"
  wait_ready "$(cat "$PID_FILE")"
  finish
fi

rm -f "$PID_FILE"
log "starting moto_server ($("$PY" -c 'import moto; print(moto.__version__)')) on ${S3_URL}"
# setsid keeps it out of our session; fd 9 (the lock) is closed so it does not hold it.
setsid "$MOTO" -H 127.0.0.1 -p "$S3_PORT" </dev/null >"$LOG_FILE" 2>&1 9>&- &
echo $! >"$PID_FILE"
wait_ready "$(cat "$PID_FILE")"
log "up ${SECONDS}s after this script started (pid $(cat "$PID_FILE"))"
finish
