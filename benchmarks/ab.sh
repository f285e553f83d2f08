#!/usr/bin/env bash
# A/B of the client between commits, measured by one harness (benchmarks/Firecrawl.Client.Ab) built against each
# commit's library through its public API, run interleaved so every build sees the same machine load.
#   usage: benchmarks/ab.sh <runs> <commit> [<commit> ...]    (a commit may be "worktree" for the working tree)
#   AB_MODES="--alloc-types" picks the measurements (default: --alloc --time --loopback)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
runs=$1; shift
work=$(mktemp -d)
trap 'for d in "$work"/src-*; do [ -d "$d" ] && git -C "$repo" worktree remove --force "$d" >/dev/null 2>&1 || true; done; rm -rf "$work"' EXIT
declare -a names dlls
for commit in "$@"; do
  if [ "$commit" = worktree ]; then src="$repo"; else src="$work/src-$commit"; git -C "$repo" worktree add --detach -f "$src" "$commit" >/dev/null 2>&1; fi
  cp -r "$repo/benchmarks/Firecrawl.Client.Ab" "$work/ab-$commit"
  rm -rf "$work/ab-$commit/bin" "$work/ab-$commit/obj"
  dotnet build "$work/ab-$commit" -c Release -v q -nologo -p:FirecrawlRepo="$src" -p:TreatWarningsAsErrors=false -o "$work/out-$commit" >/dev/null
  names+=("$commit"); dlls+=("$work/out-$commit/Firecrawl.Client.Ab.dll")
done
for mode in ${AB_MODES:---alloc --time --loopback}; do
  for ((i = 1; i <= runs; i++)); do
    for k in "${!names[@]}"; do
      [[ "$mode" == --alloc* ]] && [ "$i" -gt 1 ] && continue
      echo "$mode run $i ${names[$k]}: $(dotnet "${dlls[$k]}" "$mode")"
    done
  done
done
