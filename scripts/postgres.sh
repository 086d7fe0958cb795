#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust authentication for the
# `postgres` user (the test suite's NETBOX_TEST_DATABASE_URL): uses a running one, starts an
# installed one, or installs Debian's.
#   bash scripts/postgres.sh                        # ensure the server runs
#   bash scripts/postgres.sh --drop-test-databases  # remove the netbox_test_* databases
set -euo pipefail

psql_admin() { psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

if [ "${1:-}" = "--drop-test-databases" ]; then
    for database in $(psql_admin -c "SELECT datname FROM pg_database WHERE datname LIKE 'netbox\\_test\\_%'"); do
        psql_admin -c "DROP DATABASE IF EXISTS \"$database\"" >/dev/null
    done
    exit 0
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    config=/etc/postgresql/$version/main
    # Trust local TCP connections (a throw-away test server).
    if ! grep -q "netbox-tests" "$config/pg_hba.conf"; then
        sed -i '1i host all all 127.0.0.1/32 trust # netbox-tests' "$config/pg_hba.conf"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 50); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.2; done
fi
psql_admin -c "SELECT 1" >/dev/null
echo "PostgreSQL is ready on 127.0.0.1:5432"
