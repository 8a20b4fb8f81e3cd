#!/usr/bin/env bash
# Make sure Debian's Chromium (for the browser tests) is installed. Installs it with apt-get
# when missing and we may; otherwise says how. Never fails the caller: without Chromium the
# browser tests are skipped with a clear message.
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing and apt-get is not available: the browser tests will be skipped."
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium chromium-driver' to run the browser tests."
    exit 0
  fi
fi
echo "Installing Chromium for the browser tests (apt-get install chromium chromium-driver)..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || {
  $SUDO apt-get update -qq >/dev/null 2>&1
  $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1
} || echo "Could not install Chromium: the browser tests will be skipped."
exit 0
