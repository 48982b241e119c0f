#!/usr/bin/env bash
# Install the system programs the tests and the benchmark drive, when they are missing:
#   chromium (browser tests of the HTML views, and the page settle times of `make bench`) and
#   raptor2's rapper (an independent RDF parser).
# Needs root (or sudo) and Debian's package registry; without them the tests that need these skip
# with a reason instead of failing, and the benchmark says it did not measure the browser.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rapper >/dev/null 2>&1 || missing+=(raptor2-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
  echo "test-setup: cannot install ${missing[*]} (not root); the tests that need them will skip" >&2; exit 0; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || echo "test-setup: could not install ${missing[*]}; the tests that need them will skip" >&2
exit 0
