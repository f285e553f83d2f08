#!/usr/bin/env python3
"""Times fresh processes, interleaved, and reports medians and the spread.

What a cancel from a shell script, a cron job or a serverless function costs: a new process every time. Variants:
  native   the Native AOT `firecrawl crawl cancel <id>`
  curl     `curl -X DELETE`, the reference
  jit-cli  the same command as a framework-dependent app (`dotnet firecrawl.dll ...`)
  sdk      a fresh process making one cancel through FirecrawlClient (JIT)
  bare     the same process making the cancel with a bare HttpClient (JIT)

The server is the native `firecrawl emulator`, pinned to the last core when taskset exists; the clients run on the
others. Every variant cancels the same crawl (cancel is idempotent), so each run does the same work. Runs are
interleaved round by round, so a change in machine load touches every variant alike.

  sdk-r2r, bare-r2r  (with --r2r) the same two, published ReadyToRun for linux-x64: the recipe for users who publish

usage: benchmarks/cold-start.py [--runs 30] [--native PATH] [--skip-build] [--r2r]
"""
import argparse, json, os, shutil, statistics, subprocess, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--runs", type=int, default=30)
parser.add_argument("--native", default=os.path.join(root, "artifacts", "cli-native", "firecrawl"))
parser.add_argument("--skip-build", action="store_true")
parser.add_argument("--r2r", action="store_true")
options = parser.parse_args()

def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)

if not options.skip_build:
    run(["dotnet", "publish", os.path.join(root, "src/Firecrawl.Cli"), "-c", "Release", "-r", "linux-x64", "-o", os.path.dirname(options.native), "--nologo", "-v", "quiet"])
    run(["dotnet", "build", os.path.join(root, "src/Firecrawl.Cli"), "-c", "Release", "--nologo", "-v", "quiet"])
    run(["dotnet", "build", os.path.join(root, "benchmarks/Firecrawl.Client.ColdStart"), "-c", "Release", "--nologo", "-v", "quiet"])
    if options.r2r:
        run(["dotnet", "publish", os.path.join(root, "benchmarks/Firecrawl.Client.ColdStart"), "-c", "Release", "-r", "linux-x64",
             "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", os.path.join(root, "artifacts", "coldstart-r2r"), "--nologo", "-v", "quiet"])

cores = os.cpu_count() or 1
pin_server = ["taskset", "-c", str(cores - 1)] if shutil.which("taskset") and cores > 1 else []
pin_client = ["taskset", "-c", ",".join(str(c) for c in range(cores - 1))] if pin_server else []
server = subprocess.Popen(pin_server + [options.native, "emulator", "--port", "0"], stdout=subprocess.PIPE, text=True)
try:
    url = server.stdout.readline().strip()  # the first stdout line is the URL
    created = subprocess.run(["curl", "-sS", "-X", "POST", url + "v1/crawl", "-H", "Content-Type: application/json",
                              "-d", '{"url":"https://example.com"}'], check=True, capture_output=True, text=True)
    crawl = json.loads(created.stdout)["id"]
    jit_cli = os.path.join(root, "src/Firecrawl.Cli/bin/Release/net10.0/firecrawl.dll")
    cold = os.path.join(root, "benchmarks/Firecrawl.Client.ColdStart/bin/Release/net10.0/Firecrawl.Client.ColdStart.dll")
    variants = {
        "native": [options.native, "crawl", "cancel", crawl, "--api-url", url],
        "curl": ["curl", "-sS", "-o", "/dev/null", "-X", "DELETE", url + "v1/crawl/" + crawl],
        "jit-cli": ["dotnet", jit_cli, "crawl", "cancel", crawl, "--api-url", url],
        "sdk": ["dotnet", cold, "sdk", url, crawl],
        "bare": ["dotnet", cold, "bare", url, crawl],
    }
    if options.r2r:
        r2r = os.path.join(root, "artifacts", "coldstart-r2r", "Firecrawl.Client.ColdStart.dll")
        variants["sdk-r2r"] = ["dotnet", r2r, "sdk", url, crawl]
        variants["bare-r2r"] = ["dotnet", r2r, "bare", url, crawl]
    env = dict(os.environ, FIRECRAWL_API_KEY="", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    for cmd in variants.values():  # warm the page cache, not the processes
        run(pin_client + cmd, env=env)
    times = {name: [] for name in variants}
    for _ in range(options.runs):
        for name, cmd in variants.items():
            start = time.perf_counter()
            run(pin_client + cmd, env=env)
            times[name].append((time.perf_counter() - start) * 1000)
finally:
    server.terminate()
    server.wait()

curl = statistics.median(times["curl"])
bare = statistics.median(times["bare"])
print(f"{options.runs} interleaved runs per variant, {cores} cores, server pinned: {bool(pin_server)}")
print(f"{'variant':8} {'median':>9} {'p10':>8} {'p90':>8}   vs curl   vs bare")
for name, values in times.items():
    values.sort()
    median = statistics.median(values)
    p10 = values[len(values) // 10]
    p90 = values[(len(values) * 9) // 10]
    print(f"{name:8} {median:7.1f}ms {p10:6.1f}ms {p90:6.1f}ms   {median / curl:6.2f}x  {median - bare:+7.1f}ms")
