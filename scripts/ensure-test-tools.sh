#!/usr/bin/env bash
# Installs the independent tools the tests check with (exiftool and exiv2 for metadata, unzip for the emulator's
# Takeout zips, systemd-analyze for the documented units, tmux for the progress line in a real terminal,
# chromium for the report page) when they are missing.
# Quiet and instant when all are present. Never fails the run: without root or apt, it prints what to install,
# and the tests that need the tools fail with that same instruction (they are never skipped).
set -u
missing=()
command -v exiftool >/dev/null 2>&1 || missing+=(libimage-exiftool-perl)
command -v exiv2 >/dev/null 2>&1 || missing+=(exiv2)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

say() { printf 'ensure-test-tools: %s\n' "$*" >&2; }
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  say "missing ${missing[*]}; install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) or the tests that use them will fail."
  exit 0
fi
say "installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent or stale (slim images): update once only if the first install fails.
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || say "apt-get could not install ${missing[*]}; install them by hand or the tests that use them will fail."
fi
exit 0
