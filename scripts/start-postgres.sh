#!/usr/bin/env bash
# Starts the local PostgreSQL cluster (Debian's), makes a test role and database, and prints their URL.
set -euo pipefail
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$ver main"; then pg_createcluster "$ver" main >/dev/null; fi
pg_ctlcluster "$ver" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do pg_isready -q -h localhost && break; sleep 1; done
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='rbm'\"" | grep -q 1 \
  || su postgres -c "psql -q -p $port -c \"CREATE ROLE rbm LOGIN PASSWORD 'rbm' CREATEDB\"" >/dev/null
# The tests drop their databases WITH (FORCE); an autovacuum worker busy on a new one (no role of its own)
# can only be ended by a member of pg_signal_backend.
su postgres -c "psql -q -p $port -c 'GRANT pg_signal_backend TO rbm'" >/dev/null 2>&1
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname='rbm_test'\"" | grep -q 1 \
  || su postgres -c "psql -q -p $port -c \"CREATE DATABASE rbm_test OWNER rbm\"" >/dev/null
echo "postgresql+psycopg://rbm:rbm@localhost:$port/rbm_test"
