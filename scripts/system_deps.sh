#!/usr/bin/env bash
# The system packages the test suite needs (Debian names), installed when we may.
#   chromium, chromium-driver: the browser tests drive a real headless Chromium;
#   wordnet-base: the WordNet spinner of the copy-detection quality gate;
#   npm: fetches axe-core (into .cache/axe), the accessibility engine the browser tests
#   run inside Chromium (pinned; the tests themselves never touch the network);
#   openjdk-17-jre-headless: Java for the Spark tests.
# As root, or with sudo that needs no password, missing packages are installed with apt;
# otherwise one line per missing package names it and the command that installs it.
set -euo pipefail
AXE_VERSION=4.14.1
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
[ -f /usr/share/wordnet/data.noun ] || missing+=(wordnet-base)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
if [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    run=()
  elif sudo -n true 2>/dev/null; then
    run=(sudo -n)
  else
    for p in "${missing[@]}"; do
      echo "missing system package $p: install it with: sudo apt-get install -y $p" >&2
    done
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${run[@]}" apt-get update -qq
  "${run[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  npm install --silent --no-audit --no-fund --prefix .cache/axe "axe-core@$AXE_VERSION"
fi
