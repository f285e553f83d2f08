#!/usr/bin/env bash
# A fleet of firecrawl processes against the emulator's per-team limiter, pacing alone and sharing one Redis.
# Publishes the native firecrawl first (the way a fleet would run it), then runs the two cases of docs/performance.md:
#   fleet.sh [repeats]        3 processes x 40 jobs under 20 per 5 s, 8 workers each (floor 25 s)
# Pass --redis-config to the benchmark (see FleetPace.cs) to use a Redis other than the in-process Garnet.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
out=artifacts/bench-cli
dotnet publish src/Firecrawl.Cli -c Release -r linux-x64 -o "$out" -v quiet -nologo >/dev/null
dotnet run -c Release --project benchmarks/Firecrawl.Client.Benchmarks -- --fleet 3 120 20 5 8 "$repeats" --firecrawl "$out/firecrawl" "${@:2}"
