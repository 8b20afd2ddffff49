#!/usr/bin/env bash
# Unpacks the server distribution (synap-dist/target/synap-*.tar.gz, from `./mvnw package` or
# `install`) into a temporary folder, starts it on free ports with a temporary data folder, runs
# this example against it with the API key the server printed, checks what the example printed,
# and stops the server. Extra Maven options (e.g. -Dmaven.repo.local=...) go in MAVEN_ARGS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
archive="$(ls "$root"/synap-dist/target/synap-*.tar.gz 2>/dev/null | head -1)"
[ -n "$archive" ] || { echo "run-against-dist: no synap-dist/target/synap-*.tar.gz; run ./mvnw install -DskipTests first" >&2; exit 1; }
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
tar -xzf "$archive" -C "$work"
dist="$(ls -d "$work"/synap-*/)"
"$dist/bin/synap" serve --data-dir "$work/data" --grpc-port 0 --http-port 0 >"$work/server.out" 2>"$work/server.err" &
pid=$!
for _ in $(seq 1 120); do
  grep -q "synap listening" "$work/server.err" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.err" >&2; echo "run-against-dist: the server exited" >&2; exit 1; }
  sleep 0.5
done
listening="$(grep -m1 "synap listening" "$work/server.err")" || { cat "$work/server.err" >&2; echo "run-against-dist: the server did not start in 60 s" >&2; exit 1; }
grpc_port="$(sed -E 's/.*grpc=[^ ]*:([0-9]+).*/\1/' <<<"$listening")"
http_port="$(sed -E 's/.*http=http:\/\/[^ ]*:([0-9]+).*/\1/' <<<"$listening")"
key="$(awk '/API key/ { getline; print; exit }' "$work/server.out")"
[ -n "$key" ] || { echo "run-against-dist: the server printed no API key" >&2; exit 1; }
echo "run-against-dist: server from $(basename "$archive") on grpc $grpc_port, http $http_port: $(curl -sf "http://127.0.0.1:$http_port/ready")"

SYNAP_API_KEY="$key" SYNAP_BASE_URL="http://127.0.0.1:$http_port" SYNAP_GRPC_HOST=127.0.0.1 SYNAP_GRPC_PORT="$grpc_port" \
  "$root/mvnw" -B -q -f "$here/pom.xml" compile exec:java | tee "$work/example.out"

fail() { echo "run-against-dist: $1" >&2; exit 1; }
grep -q "^agent-loop: done" "$work/example.out" || fail "the example did not finish"
[ "$(grep -c "^  context from" "$work/example.out")" -eq 3 ] || fail "expected three context fetches"
grep -q "^  pushed bundle" "$work/example.out" || fail "no bundle was pushed over the Listen stream"
grep -q "^  context from the anticipation cache" "$work/example.out" || fail "no fetch was answered from the anticipation cache"
grep -q "^    - .*Rex" "$work/example.out" || fail "the dog's name was in no context the example received"
echo "run-against-dist: ok"
