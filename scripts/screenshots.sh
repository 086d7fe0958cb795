#!/usr/bin/env bash
# Takes headless Chromium screenshots of the running application's pages into
# docs/screenshots/. Installs Debian's chromium when it is missing.
#   bash scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# playwright-core drives Debian's Chromium (it downloads no browser of its own).
tools=${XDG_CACHE_HOME:-$HOME/.cache}/netbox-rs-screenshots
if [ ! -d "$tools/node_modules/playwright-core" ]; then
    mkdir -p "$tools"
    npm install --silent --prefix "$tools" playwright-core@1 > /dev/null
fi
# (ES modules resolve packages next to the script, so it runs from there.)
cp scripts/screenshots.mjs "$tools/"

cargo build --quiet --bin netbox
port=${PORT:-8799}
config=$(mktemp --suffix=.toml)
database=$(mktemp -u --suffix=.db)
printf 'database_url = "sqlite://%s"\nplugins = ["animal_sounds", "access_lists"]\n' "$database" > "$config"
RUST_LOG=warn DATABASE_URL= ./target/debug/netbox --config "$config" demo-data > /dev/null
password=Screenshot-pass-123
RUST_LOG=warn DATABASE_URL= ./target/debug/netbox --config "$config" createsuperuser \
    --username admin --email admin@example.com --password "$password" --no-input > /dev/null
DATABASE_URL= ./target/debug/netbox --config "$config" serve --bind "127.0.0.1:$port" > /dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$config" "$database"*' EXIT
for _ in $(seq 1 50); do
    curl -fs "http://127.0.0.1:$port/healthz" > /dev/null && break
    sleep 0.2
done

shots=(
    home=/
    animal-sounds=/plugins/animal-sounds/
    installed-plugins=/plugins/
    plugin-detail=/core/plugins/animal_sounds/
    not-found=/no/such/page
    devices=/dcim/devices/
    site=/dcim/sites/1/
    device-form=/dcim/devices/add/
    access-lists=/plugins/access-lists/access-lists/
    permissions=/users/permissions/
)
node "$tools/screenshots.mjs" "http://127.0.0.1:$port" admin "$password" "${shots[@]}"
