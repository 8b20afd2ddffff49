#!/usr/bin/env bash
# Runs the three integration examples (langchain4j-agent, spring-boot-agent, mcp) against the
# server distribution, as agent-loop/run-against-dist.sh does for the SDK example: unpacks
# synap-dist/target/synap-*.tar.gz into a temporary folder, starts it on free ports with a
# temporary data folder, runs each example with the API key the server printed, checks what each
# printed, and stops the server. Needs the modules installed (`./mvnw install -DskipTests`); extra
# Maven options (e.g. -Dmaven.repo.local=...) go in MAVEN_ARGS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
archive="$(ls "$root"/synap-dist/target/synap-*.tar.gz 2>/dev/null | head -1)"
[ -n "$archive" ] || { echo "run-integrations: no synap-dist/target/synap-*.tar.gz; run ./mvnw install -DskipTests first" >&2; exit 1; }
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
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.err" >&2; echo "run-integrations: the server exited" >&2; exit 1; }
  sleep 0.5
done
listening="$(grep -m1 "synap listening" "$work/server.err")" || { cat "$work/server.err" >&2; echo "run-integrations: the server did not start in 60 s" >&2; exit 1; }
grpc_port="$(sed -E 's/.*grpc=[^ ]*:([0-9]+).*/\1/' <<<"$listening")"
http_port="$(sed -E 's/.*http=http:\/\/[^ ]*:([0-9]+).*/\1/' <<<"$listening")"
key="$(awk '/API key/ { getline; print; exit }' "$work/server.out")"
[ -n "$key" ] || { echo "run-integrations: the server printed no API key" >&2; exit 1; }
echo "run-integrations: server from $(basename "$archive") on grpc $grpc_port, http $http_port"
export SYNAP_API_KEY="$key" SYNAP_BASE_URL="http://127.0.0.1:$http_port" SYNAP_GRPC_HOST=127.0.0.1 SYNAP_GRPC_PORT="$grpc_port"
fail() { echo "run-integrations: $1" >&2; exit 1; }

"$root/mvnw" -B -q ${MAVEN_ARGS:-} -f "$here/langchain4j-agent/pom.xml" compile exec:java | tee "$work/lc4j.out"
grep -q "^langchain4j-agent: done" "$work/lc4j.out" || fail "langchain4j-agent did not finish"
grep -q "^session 2: From memory: .*Rex" "$work/lc4j.out" || fail "langchain4j-agent: session 2 did not answer from memory"
grep -q "^  context from" "$work/lc4j.out" || fail "langchain4j-agent: no context source printed"

"$root/mvnw" -B -q ${MAVEN_ARGS:-} -f "$here/spring-boot-agent/pom.xml" compile exec:java | tee "$work/boot.out"
grep -q "^spring-boot-agent: health UP" "$work/boot.out" || fail "spring-boot-agent: health not UP"
grep -q "^spring-boot-agent: done" "$work/boot.out" || fail "spring-boot-agent did not finish"
grep -q "^session 2: From memory: .*peanuts" "$work/boot.out" || fail "spring-boot-agent: session 2 did not answer from memory"

SYNAP_MCP_COMMAND="$dist/bin/synap mcp" SYNAP_MCP_URL="http://127.0.0.1:$http_port/mcp" \
  "$root/mvnw" -B -q ${MAVEN_ARGS:-} -f "$here/mcp/pom.xml" compile exec:java | tee "$work/mcp.out"
grep -q "^mcp-check: done" "$work/mcp.out" || fail "mcp-check did not finish"
[ "$(grep -c "^[a-z]*: remembered .*Brompton" "$work/mcp.out")" -eq 2 ] || fail "mcp-check: the fact was not recalled over both transports"
echo "run-integrations: ok"
