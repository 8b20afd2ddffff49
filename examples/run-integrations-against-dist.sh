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
name=run-integrations
source "$root/examples/start-dist.sh"
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
