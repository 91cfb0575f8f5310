#!/usr/bin/env bash
# Chromium for the dashboard's browser tests (called by .ci/run, as root): installs Debian's chromium when it is
# missing. The tests start it headless themselves (DevTools protocol over a WebSocket, no WebDriver); they fail, not
# skip, when CI=true and it is missing.
set -euo pipefail

if ! command -v chromium >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "chromium.sh: $(chromium --version 2>/dev/null | head -n 1)"
