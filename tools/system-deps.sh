#!/usr/bin/env bash
# Install the Debian packages the test suite drives for real (PostgreSQL server, Chromium) when
# they are missing. Needs root and the Debian registry; otherwise it says so and the tests that
# need them skip with that reason.
set -uo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: missing ${need[*]} and cannot install them (needs root and apt-get);" \
        "the PostgreSQL and browser tests will skip" >&2
    exit 0
fi
echo "system-deps: installing ${need[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } >/tmp/presslens-apt.log 2>&1; then
    echo "system-deps: apt-get failed (see /tmp/presslens-apt.log); those tests will skip" >&2
fi
exit 0
