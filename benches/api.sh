#!/usr/bin/env bash
# The API's figures alone, at national scale: the access check (one pair with wrk, next to
# the bare-stack baseline; batches of 1,000 pairs, timed) and the agreement change feed, on
# SQLite and PostgreSQL. The same build, data set and environment as benches/national.sh
# (BASELINE_SQLITE_URL, BASELINE_PG_URL, PG_URL, BACKENDS, REQUESTS, KEEP); about 15
# minutes for both backends, most of it seeding.
#
# Usage: benches/api.sh [SECONDS]
set -euo pipefail
ONLY=api exec "$(dirname "$0")/national.sh" "$@"
