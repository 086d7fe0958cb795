#!/usr/bin/env bash
# Load test of the web application with wrk at 32 connections, in one server run. Prints
# requests/s, p50 and p99 per route and, when both are measured, the plugin-page / bare-route
# ratio. Installs Debian's wrk when it is missing.
#   bash scripts/load.sh        a bare route, a plugin page and /api/status/
#   ROUTES="/api/dcim/devices/ /dcim/devices/1/" DEMO=1 bash scripts/load.sh
#                               database-backed routes on a fresh SQLite file with demo data
#   ... DATABASE_URL=postgres://postgres@127.0.0.1/netbox_load ...   the same on PostgreSQL
#                               (the database must exist and be empty)
#   BINARY=netbox-with-fixtures PLUGINS='"ornament_a", "ornament_b"' ROUTES=/dcim/sites/1/ DEMO=1 ...
#                               another binary of the workspace, other enabled plugins
# Requests are authenticated as NetBox's clients would be: a session cookie for pages, an API
# token for /api/. AUTH chooses who asks:
#   AUTH=superuser (default)  a superuser (no permission to evaluate)
#   AUTH=user                 the demo user (needs DEMO=1): a view permission on every model,
#                             so every list and object read carries its permission check
#   AUTH=anonymous            no credentials, with login_required = false and every model
#                             exempt: the baseline without authentication or permissions
# DURATION=10s CONNECTIONS=32 by default.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
port=${PORT:-8798}
binary=${BINARY:-netbox}
cargo build --quiet --release --workspace --bin "$binary"
config=$(mktemp --suffix=.toml)
database=${DATABASE_URL:-sqlite://$(mktemp -u --suffix=.db)}
auth=${AUTH:-superuser}
printf 'database_url = "%s"\nauto_migrate = true\nplugins = [%s]\n' "$database" "${PLUGINS-\"animal_sounds\", \"access_lists\"}" > "$config"
if [ "$auth" = anonymous ]; then
    printf '[security]\nlogin_required = false\nexempt_view_permissions = ["*"]\n' >> "$config"
fi
nb() { RUST_LOG=warn DATABASE_URL= "./target/release/$binary" --config "$config" "$@"; }
demo_output=
if [ -n "${DEMO:-}" ]; then
    demo_output=$(nb demo-data)
fi
username= password=
case "$auth" in
    superuser) username=load-admin password=Load-password-123
               nb createsuperuser --username "$username" --password "$password" --no-input > /dev/null ;;
    user) username=demo
          password=$(echo "$demo_output" | grep -oE 'with the password [A-Za-z0-9]+' | awk '{print $4}')
          [ -n "$password" ] || { echo "AUTH=user needs DEMO=1 on a fresh database" >&2; exit 1; } ;;
esac
RUST_LOG=warn DATABASE_URL= "./target/release/$binary" --config "$config" serve --bind "127.0.0.1:$port" > /dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$config"' EXIT
for _ in $(seq 1 50); do
    curl -fs "http://127.0.0.1:$port/healthz" > /dev/null && break
    sleep 0.2
done

# Sign in through the form (session cookie for pages) and provision a token (for the API).
cookie= token=
if [ -n "$username" ]; then
    jar=$(mktemp)
    csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$port/login/" | grep -oE 'name="csrf_token" value="[^"]+"' | sed 's/.*value="//;s/"//')
    curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "username=$username" \
        --data-urlencode "password=$password" --data-urlencode "csrf_token=$csrf" "http://127.0.0.1:$port/login/"
    cookie=$(awk '!/^#/ && NF>=7 {printf "%s%s=%s", (n++?"; ":""), $6, $7} /^#HttpOnly_/ {printf "%s%s=%s", (n++?"; ":""), $6, $7}' "$jar")
    token=$(curl -fs -H 'Content-Type: application/json' --data "{\"username\": \"$username\", \"password\": \"$password\"}" \
        "http://127.0.0.1:$port/api/users/tokens/provision/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    rm -f "$jar"
fi
results=$(mktemp)
for path in ${ROUTES:-/healthz /plugins/animal-sounds/ /api/status/}; do
    headers=()
    case "$path" in
        /api/*) [ -n "$token" ] && headers=(-H "Authorization: Bearer $token") ;;
        *) [ -n "$cookie" ] && headers=(-H "Cookie: $cookie") ;;
    esac
    curl -fs "${headers[@]}" "http://127.0.0.1:$port$path" > /dev/null
    echo "== $path" >> "$results"
    wrk -t2 -c"$connections" -d"$duration" --latency "${headers[@]}" "http://127.0.0.1:$port$path" >> "$results"
done

python3 - "$results" "$connections" "$duration" "${database%%\?*}" "$auth" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rows = {}
for block in text.split("== ")[1:]:
    path = block.split("\n", 1)[0].strip()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", block).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", block).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", block).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", block)
    rows[path] = (rps, p50, p99, int(errors.group(1)) if errors else 0)
print(f"wrk, {sys.argv[2]} connections, {sys.argv[3]} per route, release build, server and wrk on this machine, database {sys.argv[4]}, as {sys.argv[5]}")
print(f"{'route':28} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
for path, (rps, p50, p99, errors) in rows.items():
    print(f"{path:28} {rps:10.0f} {p50:8.2f} {p99:8.2f} {errors:8d}")
if "/healthz" in rows and "/plugins/animal-sounds/" in rows:
    bare, plugin = rows["/healthz"][0], rows["/plugins/animal-sounds/"][0]
    print(f"plugin page / bare route: {plugin / bare:.2f}x")
PY
