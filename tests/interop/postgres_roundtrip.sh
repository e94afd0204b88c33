#!/usr/bin/env bash
# Interop with real MLflow 2.12 on PostgreSQL, checked by hand: a throwaway cluster (Debian's binaries, a temp
# folder, a free port, as the postgres user when run as root), then
#   1) the schema MLflow's migrations create and the one our SqlStore creates are compared column by column
#      (type, length, nullability, default), constraint by constraint and index by index;
#   2) real MLflow writes a workload into the database OUR store created and runs its searches; `qtrack runs`
#      answers each one the same (sqlite_roundtrip.py's part B, pointed at PostgreSQL).
# Needs MLflow 2.12 from source (MLFLOW_SRC, default /opt/mlflow-src) and Debian's python3-psycopg2.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
mlflow_src=${MLFLOW_SRC:-/opt/mlflow-src}
python() { PYTHONPATH="$mlflow_src" /usr/bin/python3 "$@"; }
python -c 'import mlflow, psycopg2' || { echo "needs MLflow 2.12 in $mlflow_src and python3-psycopg2"; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "no PostgreSQL binaries under /usr/lib/postgresql"; exit 2; }

work=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
port=$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() { as_pg "$bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
as_pg "$bin/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
psql() { as_pg /usr/bin/psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql -d postgres -c "CREATE DATABASE mlflow_made" -c "CREATE DATABASE ours_made"
base="postgresql://postgres:unused@127.0.0.1:$port"

echo "== build qtrack"
dotnet build "$repo/src/Cli/Qlib.Tracked.Cli.csproj" -v q -nologo >/dev/null
export QTRACK="$repo/src/Cli/bin/Debug/net10.0/qtrack"

echo "== 1: MLflow's schema and ours"
python -c "from mlflow.tracking import MlflowClient; MlflowClient('$base/mlflow_made').search_experiments()" 2>/dev/null
"$QTRACK" experiments --store "$base/ours_made" >/dev/null
describe() {
  psql -d "$1" -c "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                          || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END || coalesce(' DEFAULT ' || column_default, '')
                   FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1" \
          -c "SELECT 'constraint ' || conrelid::regclass::text || ' ' || contype::text || ' ' || pg_get_constraintdef(oid)
                   FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1" \
          -c "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1" \
          -c "SELECT 'alembic ' || version_num FROM alembic_version"
}
describe mlflow_made > "$work/mlflow.txt"
describe ours_made > "$work/ours.txt"
if diff -u "$work/mlflow.txt" "$work/ours.txt"; then
  echo "ok    schema: $(grep -c '^column' "$work/ours.txt") columns, $(grep -c '^constraint' "$work/ours.txt") constraints, $(grep -c '^index' "$work/ours.txt") indexes identical; $(grep '^alembic ' "$work/ours.txt")"
  rc=0
else
  echo "FAIL  schema differs (above: - MLflow's, + ours)"
  rc=1
fi

echo "== 2: real MLflow writes into the database our store created; qtrack searches it"
python "$repo/tests/interop/sqlite_roundtrip.py" b "$base/ours_made" 2>&1 | grep -v "INFO" || rc=1
exit "$rc"
