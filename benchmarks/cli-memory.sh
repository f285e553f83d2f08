#!/usr/bin/env bash
# Peak memory and throughput of the native `firecrawl` on a file of many ids, against the native `firecrawl emulator`
# (another process; every id is unknown to it, so each cancel is one 404). /usr/bin/time -v gives the peak RSS.
#   usage: benchmarks/cli-memory.sh [firecrawl binary] [ids...]     default: artifacts/cli-native/firecrawl, 100000 1000000
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
native="${1:-$root/artifacts/cli-native/firecrawl}"
shift || true
sizes=("${@:-100000 1000000}")
[ -x "$native" ] || dotnet publish "$root/src/Firecrawl.Cli" -c Release -r linux-x64 -o "$root/artifacts/cli-native" --nologo -v quiet > /dev/null
work=$(mktemp -d)
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
"$native" emulator --port 0 > "$work/emulator.out" 2> /dev/null &
server=$!
for _ in $(seq 1 100); do [ -s "$work/emulator.out" ] && break; sleep 0.1; done
url=$(head -n 1 "$work/emulator.out")
for n in ${sizes[@]}; do
  python3 -c "import uuid,sys; sys.stdout.write(''.join(str(uuid.uuid4())+'\n' for _ in range($n)))" > "$work/ids.txt"
  for json in "" "--json"; do
    /usr/bin/time -v "$native" batch-scrape cancel --from-file "$work/ids.txt" --api-url "$url" $json > "$work/out.txt" 2> "$work/time.txt" || true
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/time.txt")
    python3 -c "
w = sum(float(x) * 60 ** i for i, x in enumerate(reversed('$wall'.split(':'))))
print(f'{$n:8d} ids {\"${json:-text}\":7} peak RSS {$rss / 1024:6.1f} MiB, {w:6.2f} s, {$n / w:7.0f} cancels/s')"
    tail -n 1 "$work/out.txt" | cut -c1-160
  done
done
