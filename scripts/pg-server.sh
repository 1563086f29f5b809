#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server on 127.0.0.1 for the real-server tests
# (S2, S3: the race test needs real concurrent connections, which PGlite cannot give).
#
#   scripts/pg-server.sh start   # prints the connection URL on stdout (nothing else)
#   scripts/pg-server.sh stop    # stops the server and deletes its data directory
#   scripts/pg-server.sh url     # prints the URL of the running server
#
#   export LEARNER_STATUS_PG_URL="$(scripts/pg-server.sh start)"
#   npx vitest run test/postgres
#   scripts/pg-server.sh stop
#
# The data directory is a fresh `mktemp -d`; fsync is off (the data is disposable). Port:
# PG_PORT or the first free one from 54329. When run as root, the server runs as the
# `postgres` user (PostgreSQL refuses to run as root). When no server binary is found on PATH
# or under the Debian layout, `apt-get install -y postgresql` installs one.
set -euo pipefail

state_file="$(dirname "$(mktemp -u)")/learner-status-pg.current"

log() { echo "pg-server: $*" >&2; }

find_bindir() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  local candidate
  candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$candidate" && -x "$candidate/pg_ctl" ]]; then
    echo "$candidate"
    return
  fi
  return 1
}

ensure_bindir() {
  local bindir
  if bindir="$(find_bindir)"; then echo "$bindir"; return; fi
  log "no PostgreSQL server found; installing the Debian package postgresql"
  if [[ "$(id -u)" -ne 0 ]]; then
    log "installing needs root: run 'sudo apt-get install -y postgresql' and try again"
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  find_bindir || { log "postgresql installed but pg_ctl not found"; exit 1; }
}

# Runs a command as the server's owner: postgres when we are root, ourselves otherwise.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  if [[ -f "$state_file" ]]; then
    log "a server is already recorded in $state_file; run '$0 stop' first"
    exit 1
  fi
  local bindir dir port
  bindir="$(ensure_bindir)"
  if [[ "$(id -u)" -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir / --shell /usr/sbin/nologin postgres
  fi
  dir="$(mktemp -d -t learner-status-pg.XXXXXX)"
  chmod 755 "$dir"
  mkdir "$dir/data"
  [[ "$(id -u)" -eq 0 ]] && chown -R postgres "$dir"
  port="${PG_PORT:-54329}"
  while ! port_free "$port"; do port=$((port + 1)); done
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  printf '%s\n%s\n%s\n' "$dir" "$port" "$bindir" >"$state_file"
  log "started PostgreSQL ($("$bindir/postgres" --version)) on 127.0.0.1:$port, data in $dir"
  url
}

url() {
  [[ -f "$state_file" ]] || { log "no server running"; exit 1; }
  local port
  port="$(sed -n 2p "$state_file")"
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  if [[ ! -f "$state_file" ]]; then
    log "no server recorded; nothing to stop"
    return 0
  fi
  local dir bindir
  dir="$(sed -n 1p "$state_file")"
  bindir="$(sed -n 3p "$state_file")"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || log "server was not running"
  rm -rf "$dir" "$state_file"
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
