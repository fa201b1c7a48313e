#!/usr/bin/env bash
# The system packages the test suite needs (Debian names), installed when we may.
#   chromium, chromium-driver: the browser tests drive a real headless Chromium;
#   wordnet-base: the WordNet spinner of the copy-detection quality gate.
#   axe-core (from npm, into .cache/axe): the accessibility checks of the browser tests.
# Java 17 (for the Spark tests) must already be on the machine.
# As root, or with sudo that needs no password, missing packages are installed with apt;
# otherwise one line per missing package names it and the command that installs it.
set -euo pipefail
# axe-core (npm), the accessibility engine the browser tests run inside Chromium: into a
# git-ignored folder, pinned; the tests themselves never touch the network.
AXE_VERSION=4.14.1
if [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    npm install --silent --no-audit --no-fund --prefix .cache/axe "axe-core@$AXE_VERSION"
  else
    echo "missing npm: install it (sudo apt-get install -y npm) so axe-core can be fetched" >&2
    exit 1
  fi
fi
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
[ -f /usr/share/wordnet/data.noun ] || missing+=(wordnet-base)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0
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
