# Sourced (not run) by the example runners: unpacks the server distribution
# (synap-dist/target/synap-*.tar.gz, from `./mvnw package` or `install`) into a temporary folder,
# starts it on free ports with a temporary data folder, and sets `work`, `dist`, `grpc_port`,
# `http_port` and `key` (the API key the server printed). The server and the folder go away when
# the sourcing script exits. The caller sets `root` (the repository) and `name` (for messages).
archive="$(ls "$root"/synap-dist/target/synap-*.tar.gz 2>/dev/null | head -1)"
[ -n "$archive" ] || { echo "$name: no synap-dist/target/synap-*.tar.gz; run ./mvnw install -DskipTests first" >&2; exit 1; }
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
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.err" >&2; echo "$name: the server exited" >&2; exit 1; }
  sleep 0.5
done
listening="$(grep -m1 "synap listening" "$work/server.err")" || { cat "$work/server.err" >&2; echo "$name: the server did not start in 60 s" >&2; exit 1; }
grpc_port="$(sed -E 's/.*grpc=[^ ]*:([0-9]+).*/\1/' <<<"$listening")"
http_port="$(sed -E 's/.*http=http:\/\/[^ ]*:([0-9]+).*/\1/' <<<"$listening")"
key="$(awk '/API key/ { getline; print; exit }' "$work/server.out")"
[ -n "$key" ] || { echo "$name: the server printed no API key" >&2; exit 1; }
echo "$name: server from $(basename "$archive") on grpc $grpc_port, http $http_port: $(curl -sf "http://127.0.0.1:$http_port/ready")"
