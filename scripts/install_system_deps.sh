#!/usr/bin/env bash
# Debian packages the tests need: chromium (browser tests, never a downloaded browser) and
# redis-server (a private Redis is started by the broker tests). Installs only what is missing.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q || true   # a stale list still usually has these packages
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" fonts-dejavu-core
