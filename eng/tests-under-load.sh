#!/usr/bin/env bash
# Runs the whole test suite several times while a CPU-bound process competes for the cores, to show that no test
# depends on the machine's speed. Prints one line per run and exits non-zero if any run failed.
#   usage: eng/tests-under-load.sh [runs=5] [burners=1]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5} burners=${2:-1}
dotnet build Firecrawl.Client.sln -c Release -v q -nologo >/dev/null || exit 1

pids=()
for ((b = 0; b < burners; b++)); do
  ( while :; do :; done ) &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT

failed_runs=0
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s)
  out=$(dotnet test Firecrawl.Client.sln -c Release --no-build 2>&1)
  status=$?
  summary=$(grep -E '^(Passed|Failed)!' <<<"$out" | sed -E 's/ - [^ ]+\.dll.*//; s/, Duration:.*//' | tr '\n' ' ')
  echo "run $i: exit $status in $(( $(date +%s) - start )) s: $summary"
  if [ "$status" -ne 0 ]; then
    failed_runs=$((failed_runs + 1))
    grep -E '^\s+Failed ' <<<"$out" | head -n 10
  fi
done
echo "$((runs - failed_runs)) of $runs runs green with $burners CPU-bound process(es) beside them"
[ "$failed_runs" -eq 0 ]
