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

cargo build --quiet --bin netbox
port=${PORT:-8799}
config=$(mktemp --suffix=.toml)
database=$(mktemp -u --suffix=.db)
printf 'database_url = "sqlite://%s"\nplugins = ["animal_sounds", "access_lists"]\n' "$database" > "$config"
RUST_LOG=warn DATABASE_URL= ./target/debug/netbox --config "$config" demo-data > /dev/null
DATABASE_URL= ./target/debug/netbox --config "$config" serve --bind "127.0.0.1:$port" > /dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$config" "$database"*' EXIT
for _ in $(seq 1 50); do
    curl -fs "http://127.0.0.1:$port/healthz" > /dev/null && break
    sleep 0.2
done

shoot() { # name path
    local profile
    profile=$(mktemp -d)
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --hide-scrollbars --window-size=1280,800 \
        --screenshot="docs/screenshots/$1.png" "http://127.0.0.1:$port$2" > /dev/null 2>&1
    rm -rf "$profile"
    echo "docs/screenshots/$1.png  <-  $2"
}
shoot home /
shoot animal-sounds /plugins/animal-sounds/
shoot installed-plugins /plugins/
shoot plugin-detail /core/plugins/animal_sounds/
shoot not-found /no/such/page
shoot devices /dcim/devices/
shoot site /dcim/sites/1/
shoot device-form "/dcim/devices/add/"
shoot access-lists /plugins/access-lists/access-lists/
