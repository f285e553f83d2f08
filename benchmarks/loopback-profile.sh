#!/usr/bin/env bash
# The allocation and lock-contention profile of the loopback run: the benchmark's --loopback mode (SDK and floor in
# turns, concurrency 32) against the native emulator pinned to the last core, under DOTNET_ event tracing with the GC
# allocation-tick (0x1) and contention (0x4000) keywords, summed by benchmarks/Firecrawl.Client.JitProfile.
# usage: benchmarks/loopback-profile.sh [top]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
top="${1:-20}"
work=$(mktemp -d)
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

dotnet build "$root/benchmarks/Firecrawl.Client.Benchmarks" -c Release --nologo -v quiet > /dev/null
dotnet build "$root/benchmarks/Firecrawl.Client.JitProfile" -c Release --nologo -v quiet > /dev/null
cores=$(nproc)
source "$root/benchmarks/native-emulator.sh"
start_native_emulator "$root" "$work" $((cores - 1))

DOTNET_EnableEventPipe=1 DOTNET_EventPipeOutputPath="$work/trace.nettrace" \
  DOTNET_EventPipeConfig='Microsoft-Windows-DotNETRuntime:0x4001:5' \
  taskset -c 0-$((cores - 2)) dotnet "$root/benchmarks/Firecrawl.Client.Benchmarks/bin/Release/net10.0/Firecrawl.Client.Benchmarks.dll" --loopback "$url" "$crawl"
dotnet "$root/benchmarks/Firecrawl.Client.JitProfile/bin/Release/net10.0/Firecrawl.Client.JitProfile.dll" "$work/trace.nettrace" "$top" | sed -n '1,/methods jitted/p'
