#!/usr/bin/env bash
# Where a fresh process's first cancel spends its JIT time: runs benchmarks/Firecrawl.Client.ColdStart once under
# DOTNET_ event tracing (EventPipe, the runtime's JIT events, no tool to install), against the native emulator, then
# sums the trace by area with benchmarks/Firecrawl.Client.JitProfile.
# usage: benchmarks/jit-profile.sh [sdk|bare|sdk-r2r|bare-r2r] [top]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
variant="${1:-sdk}"
top="${2:-25}"
work=$(mktemp -d)
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

dotnet build "$root/benchmarks/Firecrawl.Client.ColdStart" -c Release --nologo -v quiet > /dev/null
dotnet build "$root/benchmarks/Firecrawl.Client.JitProfile" -c Release --nologo -v quiet > /dev/null
app="$root/benchmarks/Firecrawl.Client.ColdStart/bin/Release/net10.0/Firecrawl.Client.ColdStart.dll"
case "$variant" in
  *-r2r)
    dotnet publish "$root/benchmarks/Firecrawl.Client.ColdStart" -c Release -r linux-x64 --self-contained false \
      -p:PublishReadyToRun=true -o "$work/r2r" --nologo -v quiet > /dev/null
    app="$work/r2r/Firecrawl.Client.ColdStart.dll"
    variant="${variant%-r2r}" ;;
esac

source "$root/benchmarks/native-emulator.sh"
start_native_emulator "$root" "$work"

# JitKeyword (0x10) at verbose level: MethodJittingStarted and MethodLoadVerbose for every method compiled.
DOTNET_EnableEventPipe=1 DOTNET_EventPipeOutputPath="$work/trace.nettrace" \
  DOTNET_EventPipeConfig='Microsoft-Windows-DotNETRuntime:0x10:5' \
  dotnet "$app" "$variant" "$url" "$crawl"
dotnet "$root/benchmarks/Firecrawl.Client.JitProfile/bin/Release/net10.0/Firecrawl.Client.JitProfile.dll" "$work/trace.nettrace" "$top"
