#!/usr/bin/env bash
# Unpacks the server distribution (synap-dist/target/synap-*.tar.gz, from `./mvnw package` or
# `install`) into a temporary folder, starts it on free ports with a temporary data folder, runs
# this example against it with the API key the server printed, checks what the example printed,
# and stops the server. Extra Maven options (e.g. -Dmaven.repo.local=...) go in MAVEN_ARGS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
name=run-against-dist
source "$root/examples/start-dist.sh"

SYNAP_API_KEY="$key" SYNAP_BASE_URL="http://127.0.0.1:$http_port" SYNAP_GRPC_HOST=127.0.0.1 SYNAP_GRPC_PORT="$grpc_port" \
  "$root/mvnw" -B -q -f "$here/pom.xml" compile exec:java | tee "$work/example.out"

fail() { echo "run-against-dist: $1" >&2; exit 1; }
grep -q "^agent-loop: done" "$work/example.out" || fail "the example did not finish"
[ "$(grep -c "^  context from" "$work/example.out")" -eq 3 ] || fail "expected three context fetches"
grep -q "^  pushed bundle" "$work/example.out" || fail "no bundle was pushed over the Listen stream"
grep -q "^  context from the anticipation cache" "$work/example.out" || fail "no fetch was answered from the anticipation cache"
grep -q "^    - .*Rex" "$work/example.out" || fail "the dog's name was in no context the example received"
echo "run-against-dist: ok"
