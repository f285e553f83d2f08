# Sourced by the profiling scripts: starts the native `firecrawl emulator` on a free port (publishing it first if
# needed), optionally pinned with taskset, and creates one crawl. Sets `server` (its pid), `url` and `crawl`.
# usage: start_native_emulator <root> <work-dir> [taskset cpu list]
start_native_emulator() {
  local root="$1" work="$2" cpus="${3:-}"
  local native="$root/artifacts/cli-native/firecrawl"
  [ -x "$native" ] || dotnet publish "$root/src/Firecrawl.Cli" -c Release -r linux-x64 -o "$root/artifacts/cli-native" --nologo -v quiet > /dev/null
  if [ -n "$cpus" ]; then
    taskset -c "$cpus" "$native" emulator --port 0 > "$work/emulator.out" 2> /dev/null &
  else
    "$native" emulator --port 0 > "$work/emulator.out" 2> /dev/null &
  fi
  server=$!
  for _ in $(seq 1 100); do [ -s "$work/emulator.out" ] && break; sleep 0.1; done
  url=$(head -n 1 "$work/emulator.out")
  crawl=$(curl -sS -X POST "${url}v1/crawl" -H 'Content-Type: application/json' -d '{"url":"https://example.com"}' | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
}
