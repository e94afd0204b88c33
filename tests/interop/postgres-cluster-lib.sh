# Sourced by tests/interop scripts that need a throwaway PostgreSQL cluster (Debian's binaries; as the postgres user
# when run as root, as tests/Qlib.Tracked.Tests/Stores/Contract/PostgresCluster.cs does):
#   pg_cluster_start       initdb in a new temp folder (owned by postgres, so not under a root-only folder), start on a
#                          free loopback port with its socket there, create database `mlflow`; sets pg_base
#                          (postgresql://postgres:unused@127.0.0.1:PORT, trust auth) and pg_port
#   pg_cluster_stop        stops it (immediate) and removes its folder
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
pg_dir=
pg_as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_cluster_start() {
  [ -x "$pg_bin/initdb" ] || { echo "no PostgreSQL binaries under /usr/lib/postgresql"; return 2; }
  pg_dir=$(mktemp -d)
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  pg_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  pg_as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  pg_as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
  pg_as_postgres /usr/bin/psql -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -qAt -d postgres -c "CREATE DATABASE mlflow"
  pg_base="postgresql://postgres:unused@127.0.0.1:$pg_port"
}

pg_cluster_stop() {
  if [[ -n "$pg_dir" ]]; then
    pg_as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
    pg_dir=
  fi
}
