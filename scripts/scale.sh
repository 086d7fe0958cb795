#!/usr/bin/env bash
# Lists at size: the device list page, the REST device list and a `?q=` search, each loaded
# with wrk for a few seconds, at several numbers of devices, on SQLite and PostgreSQL. Prints
# one markdown table row per backend and size (requests/s, p99); docs/PERFORMANCE.md keeps the
# results. Devices beyond the demo data are written straight into the tables (500 extra
# sites), as an import would; the derived indexes follow through their triggers.
#   bash scripts/scale.sh                      SQLite and PostgreSQL at 8, 100,000, 1,000,000
#   BACKENDS=sqlite SIZES="8 100000" bash scripts/scale.sh
# PostgreSQL is the local server of scripts/postgres.sh (postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
backends=${BACKENDS:-sqlite postgres}
sizes=${SIZES:-8 100000 1000000}
duration=${DURATION:-5s}
port=${PORT:-8797}
pg=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
cargo build --quiet --release --workspace --bin netbox
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT

fill_sqlite() {  # $1 = file, $2 = devices to add
  python3 - "$1" "$2" <<'PY'
import random, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
base = db.execute("SELECT coalesce(max(id), 0) FROM dcim_site").fetchone()[0]
db.executemany("INSERT INTO dcim_site (name, slug, status, region, facility, description, created, last_updated) VALUES (?, ?, 'active', '', '', '', '2026-11-24T00:00:00Z', '2026-11-24T00:00:00Z')",
               [(f"Scale site {i}", f"scale-site-{i}") for i in range(500)])
rows = ((f"scale-dev-{i:07d}", base + 1 + i % 500, "switch" if i % 2 else "router", random.choice(["active", "planned", "staged"]), f"SN{i}", "") for i in range(n))
db.executemany("INSERT INTO dcim_device (name, site_id, role, status, serial, description, created, last_updated) VALUES (?, ?, ?, ?, ?, ?, '2026-11-24T00:00:00Z', '2026-11-24T00:00:00Z')", rows)
db.commit()
PY
}

fill_postgres() {  # $1 = URL, $2 = devices to add
  psql -q "$1" <<SQL
INSERT INTO dcim_site (name, slug, status, region, facility, description, created, last_updated)
  SELECT 'Scale site ' || i, 'scale-site-' || i, 'active', '', '', '', '2026-11-24T00:00:00Z', '2026-11-24T00:00:00Z' FROM generate_series(0, 499) i;
INSERT INTO dcim_device (name, site_id, role, status, serial, description, created, last_updated)
  SELECT 'scale-dev-' || lpad(i::text, 7, '0'), (SELECT min(id) FROM dcim_site WHERE slug LIKE 'scale-site-%') + i % 500,
         CASE WHEN i % 2 = 1 THEN 'switch' ELSE 'router' END, (ARRAY['active', 'planned', 'staged'])[1 + i % 3], 'SN' || i, '',
         '2026-11-24T00:00:00Z', '2026-11-24T00:00:00Z'
  FROM generate_series(0, $2 - 1) i;
ANALYZE;
SQL
}

measure() {  # $1 = path; prints "req/s p99"
  wrk -t2 -c32 -d"$duration" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port$1" 2>/dev/null |
    awk '/Requests\/sec/ {r=int($2)} /^ +99%/ {p=$2} END {printf "%s/s (p99 %s)", r, p}'
}

echo "| backend | devices | list page | REST list (50) | search ?q= |"
echo "|---|---|---|---|---|"
for backend in $backends; do
  for size in $sizes; do
    case "$backend" in
      sqlite) url="sqlite://$work/scale-$size.db" ;;
      postgres) db="netbox_scale_$$_$size"; psql -q "$pg" -c "CREATE DATABASE $db"; url="${pg%/*}/$db" ;;
    esac
    printf 'database_url = "%s"\nauto_migrate = true\nplugins = ["animal_sounds", "access_lists"]\n' "$url" > "$work/netbox.toml"
    nb() { RUST_LOG=warn DATABASE_URL= ./target/release/netbox --config "$work/netbox.toml" "$@"; }
    nb migrate > /dev/null
    nb demo-data > /dev/null
    if [ "$size" -gt 8 ]; then
      case "$backend" in
        sqlite) fill_sqlite "${url#sqlite://}" "$((size - 8))" ;;
        postgres) fill_postgres "$url" "$((size - 8))" ;;
      esac
    fi
    token=$(nb createsuperuser --username scale --password 'Scale-pass-123!' --email s@example.com --token --no-input | grep -oE 'nbt_[A-Za-z0-9._]+')
    RUST_LOG=warn DATABASE_URL= ./target/release/netbox --config "$work/netbox.toml" serve --bind "127.0.0.1:$port" > "$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
    sleep 2  # the background merge of the search index after a bulk load
    echo "| $backend | $size | $(measure /dcim/devices/) | $(measure '/api/dcim/devices/?limit=50') | $(measure '/dcim/devices/?q=scale-dev-0000999') |"
    kill $server; wait $server 2>/dev/null || true; server=
    [ "$backend" = postgres ] && psql -q "$pg" -c "DROP DATABASE $db WITH (FORCE)"
  done
done
