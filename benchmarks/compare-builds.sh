#!/usr/bin/env bash
# Interleaves the in-memory --quick comparison of two builds of the benchmark project (for example the commit before a
# change, checked out with `git worktree add`, and the working tree), so both see the same machine load. Prints each
# run's SDK/floor ratio and the median and range per build.
#   usage: benchmarks/compare-builds.sh <before-repo-dir> <after-repo-dir> [runs=5]
set -euo pipefail
before=$1 after=$2 runs=${3:-5}
dll=benchmarks/Firecrawl.Client.Benchmarks/bin/Release/net10.0/Firecrawl.Client.Benchmarks.dll
for dir in "$before" "$after"; do
  dotnet build "$dir/benchmarks/Firecrawl.Client.Benchmarks" -c Release -v q -nologo >/dev/null
done
declare -A ratios
for ((i = 1; i <= runs; i++)); do
  for dir in "$before" "$after"; do
    r=$(dotnet "$dir/$dll" --quick | awk '$1 == "sdk" && $2 ~ /^[0-9]/ { for (i = 2; i <= NF; i++) if ($i ~ /x$/) { print $i; exit } }' | tr -d x)
    ratios[$dir]+="$r "
    echo "run $i $(basename "$dir"): sdk/floor ${r}x"
  done
done
for dir in "$before" "$after"; do
  echo "${ratios[$dir]}" | tr ' ' '\n' | grep . | sort -n | awk -v name="$dir" '{ a[NR] = $1 } END { printf "%s: median %.2fx, range %.2f-%.2fx over %d runs\n", name, a[int((NR + 1) / 2)], a[1], a[NR], NR }'
done
