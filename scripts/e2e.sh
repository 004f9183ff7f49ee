#!/usr/bin/env bash
# End-to-end tests: the meeting report in headless Chromium (installs
# Debian's chromium when it is missing) and every command of the README.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
go test -tags e2e -count 1 -v ./e2e/
