#!/usr/bin/env bash
# A 12 MP phone JPEG to three renditions: changemakers against libvips'
# vipsthumbnail, same run, same machine. Installs libvips-tools if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v vipsthumbnail >/dev/null || [ ! -x /usr/bin/time ]; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvips-tools time >/dev/null
fi
exec cargo bench --bench renditions
