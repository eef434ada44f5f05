#!/usr/bin/env bash
# Start a single-node Elasticsearch for tests, bound to 127.0.0.1 (see DESIGN.md, "Real services").
#
# Fetches the integ-test zip of Elasticsearch from Maven Central with Maven
# (org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip), unpacks it under
# ~/.cache/ocop/elasticsearch-<version>/ and starts it in the background as a non-root user
# (Elasticsearch refuses to run as root; as root the script creates the system user
# "elasticsearch"). Idempotent: if Elasticsearch already answers on the port it does nothing; a
# second run reuses the unpacked copy and its data.
#
# Use locally:
#   bash .ci/elasticsearch.sh
#   ELASTICSEARCH_URL=http://127.0.0.1:9200 make test
# or let the script set the variable (its only stdout line is the export):
#   eval "$(bash .ci/elasticsearch.sh)"
# Stop it:
#   kill "$(cat ~/.cache/ocop/elasticsearch-8.19.21/es.pid)"
# Logs: ~/.cache/ocop/elasticsearch-<version>/logs/ocop.log. Remove that directory to start over.
#
# Settings (environment, all optional):
#   ES_VERSION (8.19.21)        ES_PORT (9200)           ES_TRANSPORT_PORT (9300-9399)
#   ES_CACHE_DIR (~/.cache/ocop/elasticsearch-$ES_VERSION)  ES_USER (elasticsearch, used as root)
#   ES_HEAP (512m)              ES_WAIT_SECONDS (120)    M2_REPO (~/.m2/repository)
#   ES_JAVA_HOME: the JDK to use; default the newest installed JDK from 17 to 25 (both 17 and
#   25 were checked by starting 8.19.21); without one, apt installs openjdk-17-jre-headless.
#
# This zip holds the core engine, transport-netty4, x-pack-core, x-pack-security and apm only:
# no analysis-common (asciifolding, edge_ngram, ...), no mapper-extras (search_as_you_type), and
# no rest-root module, so `GET /` (and the client's ping()/info()) answer 405 here; use
# /_cluster/health or /_nodes to probe the node.
set -euo pipefail

ES_VERSION="${ES_VERSION:-8.19.21}"
ES_PORT="${ES_PORT:-9200}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300-9399}"
ES_HEAP="${ES_HEAP:-512m}"
ES_USER="${ES_USER:-elasticsearch}"
ES_WAIT_SECONDS="${ES_WAIT_SECONDS:-120}"
ES_CACHE_DIR="${ES_CACHE_DIR:-${HOME}/.cache/ocop/elasticsearch-${ES_VERSION}}"
ES_URL="http://127.0.0.1:${ES_PORT}"
ES_JAVA_MIN=17
ES_JAVA_MAX=25 # newest JDK this script has seen Elasticsearch 8.19 start on

ES_HOME="${ES_CACHE_DIR}/elasticsearch-${ES_VERSION}"
PID_FILE="${ES_CACHE_DIR}/es.pid"
LOG_DIR="${ES_CACHE_DIR}/logs"
LOG_FILE="${LOG_DIR}/ocop.log" # <path.logs>/<cluster.name>.log
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
M2_REPO="${M2_REPO:-${HOME}/.m2/repository}"
ZIP="${M2_REPO}/org/elasticsearch/distribution/integ-test-zip/elasticsearch/${ES_VERSION}/elasticsearch-${ES_VERSION}.zip"
export DEBIAN_FRONTEND=noninteractive

log() { printf '== elasticsearch: %s\n' "$*" >&2; }
die() { printf '== elasticsearch: ERROR: %s\n' "$*" >&2; exit 1; }

apt_install() {
  [ "$(id -u)" -eq 0 ] || die "need to install $* (apt-get) but not running as root"
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >&2; APT_UPDATED=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

# Answers with a cluster health (any status) on the port?
es_answers() { curl -fsS --max-time 3 "${ES_URL}/_cluster/health" >/dev/null 2>&1; }

es_ready() {
  curl -fsS --max-time 10 "${ES_URL}/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null 2>&1
}

print_version() {
  local name version jdk health
  read -r name version jdk < <(curl -fsS --max-time 5 "${ES_URL}/_cat/nodes?h=name,version,jdk" 2>/dev/null | head -1) || true
  health="$(curl -fsS --max-time 5 "${ES_URL}/_cat/health?h=status" 2>/dev/null | tr -d '[:space:]')" || true
  log "Elasticsearch ${version:-?} (node ${name:-?}, JVM ${jdk:-?}) at ${ES_URL}, health ${health:-?}"
}

finish() {
  print_version
  echo "export ELASTICSEARCH_URL=${ES_URL}"
  exit 0
}

show_logs_and_die() {
  log "$1; last 50 lines of ${LOG_FILE}:"
  tail -n 50 "$LOG_FILE" >&2 2>/dev/null || true
  if [ -s "${LOG_DIR}/startup.out" ]; then # the launcher's output: all there is if Java failed
    local n=5
    [ -s "$LOG_FILE" ] || n=50
    log "last ${n} lines of ${LOG_DIR}/startup.out:"
    tail -n "$n" "${LOG_DIR}/startup.out" >&2
  fi
  exit 1
}

# Our node from an earlier run, still alive (perhaps still starting)?
pid_alive() {
  local pid
  [ -s "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -q 'org.elasticsearch'
}

wait_ready() {
  local deadline=$((SECONDS + ES_WAIT_SECONDS)) cli_pid="${1:-}"
  while [ "$SECONDS" -lt "$deadline" ]; do
    if es_ready; then return 0; fi
    # The launcher (-d) exits 0 once the node is up; non-zero means it failed to start.
    if [ -n "$cli_pid" ] && ! kill -0 "$cli_pid" 2>/dev/null; then
      if ! wait "$cli_pid"; then show_logs_and_die "Elasticsearch failed to start"; fi
      cli_pid=""
    fi
    sleep 1
  done
  show_logs_and_die "Elasticsearch did not reach yellow health on ${ES_URL} within ${ES_WAIT_SECONDS}s"
}

# Major version of the JDK at $1 (0 if it does not run).
java_major() {
  local v
  v="$("$1/bin/java" -version 2>&1 | awk -F'"' '/version "/ {print $2; exit}')" || true
  v="${v#1.}"
  v="${v%%[.+-]*}"
  case "$v" in '' | *[!0-9]*) echo 0 ;; *) echo "$v" ;; esac
}

pick_java() {
  local cand best="" best_major=0 major seen=" "
  if [ -n "${ES_JAVA_HOME:-}" ]; then
    major="$(java_major "$ES_JAVA_HOME")"
    [ "$major" -ge "$ES_JAVA_MIN" ] || die "ES_JAVA_HOME=${ES_JAVA_HOME} is Java ${major}, need ${ES_JAVA_MIN}+"
    echo "$ES_JAVA_HOME"
    return
  fi
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/* \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] || continue
    cand="$(readlink -f "$cand")"
    case "$seen" in *" $cand "*) continue ;; esac
    seen="${seen}${cand} "
    major="$(java_major "$cand")"
    if [ "$major" -ge "$ES_JAVA_MIN" ] && [ "$major" -le "$ES_JAVA_MAX" ] && [ "$major" -gt "$best_major" ]; then
      best="$cand" best_major="$major"
    fi
  done
  [ -n "$best" ] && echo "$best"
}

# --- already running? ------------------------------------------------------------------------
if es_answers; then
  log "already answering on ${ES_URL}; nothing to start"
  wait_ready
  finish
fi

mkdir -p "$(dirname "$ES_CACHE_DIR")"
exec 9>"${ES_CACHE_DIR}.lock"
flock 9 # one run at a time per version

if pid_alive; then
  log "pid $(cat "$PID_FILE") from an earlier run is still starting; waiting"
  wait_ready
  finish
fi

# --- tools: curl, unzip, Maven, Java ------------------------------------------------------------
command -v curl >/dev/null || apt_install curl
command -v unzip >/dev/null || apt_install unzip
JAVA_DIR="$(pick_java || true)"
if [ -z "$JAVA_DIR" ]; then
  log "no JDK ${ES_JAVA_MIN}..${ES_JAVA_MAX} found; installing openjdk-17-jre-headless"
  apt_install openjdk-17-jre-headless
  JAVA_DIR="$(pick_java || true)"
  [ -n "$JAVA_DIR" ] || die "no usable Java after installing openjdk-17-jre-headless"
fi

# --- the distribution ---------------------------------------------------------------------------
if [ ! -x "${ES_HOME}/bin/elasticsearch" ]; then
  if [ ! -s "$ZIP" ]; then
    command -v mvn >/dev/null || { log "installing Maven"; apt_install maven; }
    log "fetching ${ARTIFACT} from Maven Central"
    # From / so Maven reads no project; it runs on the java on PATH, else on the JDK picked above.
    mvn_java_home="${JAVA_HOME:-}"
    command -v java >/dev/null || mvn_java_home="$JAVA_DIR"
    (cd / && JAVA_HOME="$mvn_java_home" mvn -q -B -Dstyle.color=never -Dmaven.repo.local="$M2_REPO" \
      dependency:get -Dartifact="$ARTIFACT" -Dtransitive=false) >&2 # stdout is for the export line
    [ -s "$ZIP" ] || die "Maven finished but ${ZIP} is missing"
  fi
  if [ -s "${ZIP}.sha1" ]; then
    [ "$(sha1sum "$ZIP" | cut -d' ' -f1)" = "$(cut -c1-40 "${ZIP}.sha1")" ] \
      || die "checksum mismatch for ${ZIP}; delete it and run again"
  fi
  log "unpacking $(basename "$ZIP") into ${ES_CACHE_DIR}"
  mkdir -p "$ES_CACHE_DIR"
  rm -rf "${ES_CACHE_DIR}/.unpack" "$ES_HOME"
  unzip -q "$ZIP" -d "${ES_CACHE_DIR}/.unpack"
  mv "${ES_CACHE_DIR}/.unpack/elasticsearch-${ES_VERSION}" "$ES_HOME"
  rmdir "${ES_CACHE_DIR}/.unpack"
fi
mkdir -p "${ES_CACHE_DIR}/data" "$LOG_DIR" "${ES_CACHE_DIR}/tmp"

# Settings live in the distribution's own config file, so a manual bin/elasticsearch uses them too.
# Only settings this distribution knows: e.g. xpack.monitoring.* and ingest.geoip.* are rejected
# as unknown (their modules are not in the zip) and stop the node.
cat >"${ES_HOME}/config/elasticsearch.yml" <<YAML
# Written by .ci/elasticsearch.sh on every start; edit the script, not this file.
cluster.name: ocop
node.name: ocop-es
network.host: 127.0.0.1
http.port: ${ES_PORT}
transport.port: ${ES_TRANSPORT_PORT}
discovery.type: single-node
path.data: "${ES_CACHE_DIR}/data"
path.logs: "${LOG_DIR}"
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
YAML

# --- a user that is not root --------------------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
  if ! id -u "$ES_USER" >/dev/null 2>&1; then
    log "creating system user ${ES_USER}"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$ES_USER"
  fi
  chown -R "${ES_USER}:${ES_USER}" "$ES_CACHE_DIR"
  # It must reach the cache dir: /root and ~/.cache are usually 0700. Grant that one user
  # search (x) permission on each blocking ancestor with an ACL (no listing, no other users).
  ancestors=()
  d="$ES_CACHE_DIR"
  while [ "$d" != "/" ]; do d="$(dirname "$d")"; ancestors=("$d" "${ancestors[@]}"); done
  for d in "${ancestors[@]}"; do # from / down: a directory is reachable once its parents are
    runuser -u "$ES_USER" -- test -x "$d" && continue
    command -v setfacl >/dev/null || apt_install acl
    log "granting ${ES_USER} search permission on ${d} (ACL)"
    setfacl -m "u:${ES_USER}:--x" "$d" 2>/dev/null || {
      log "no ACL support on ${d}; chmod o+x instead"
      chmod o+x "$d"
    }
  done
  runuser -u "$ES_USER" -- test -r "${ES_HOME}/config/elasticsearch.yml" -a -w "$LOG_DIR" -a -x "${JAVA_DIR}/bin/java" \
    || die "user ${ES_USER} cannot reach ${ES_CACHE_DIR} or ${JAVA_DIR}"
fi

# --- start ----------------------------------------------------------------------------------------
rm -f "$PID_FILE"
log "starting Elasticsearch ${ES_VERSION} with Java $(java_major "$JAVA_DIR") (${JAVA_DIR}) on ${ES_URL}"
# -d: the launcher detaches the node and exits once it is up; setsid keeps it out of our session.
# fd 9 (the lock) is closed so the node does not hold it.
run_as=()
[ "$(id -u)" -ne 0 ] || run_as=(runuser -u "$ES_USER" --)
(
  ulimit -n 65535 2>/dev/null || true
  exec setsid "${run_as[@]}" env ES_JAVA_HOME="$JAVA_DIR" ES_JAVA_OPTS="-Xms${ES_HEAP} -Xmx${ES_HEAP}" \
    ES_TMPDIR="${ES_CACHE_DIR}/tmp" ES_PATH_CONF="${ES_HOME}/config" \
    "${ES_HOME}/bin/elasticsearch" -d -p "$PID_FILE"
) </dev/null >"${LOG_DIR}/startup.out" 2>&1 9>&- &
wait_ready $!
log "up ${SECONDS}s after this script started (pid $(cat "$PID_FILE" 2>/dev/null || echo '?'))"
finish
