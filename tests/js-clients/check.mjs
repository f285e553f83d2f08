// Firecrawl's own JS SDK and Node CLI against `firecrawl emulator --control`: every answer they return is checked
// against what the real self-hosted server gives (docs/server-behaviour.md), and the SDK's agent calls against a second
// emulator that answers like the newer cloud (agent jobs came in December 2025). Run by .ci/js-clients; also by hand:
//   firecrawl emulator --port 0 --control --accept-key fc-... &
//   firecrawl emulator --port 0 --control --accept-key fc-... --profile newer-cloud &
//   node check.mjs <url> <key> <newer url>
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import Firecrawl from "@mendable/firecrawl-js";

const run = promisify(execFile);
const [url, key, newerUrl] = process.argv.slice(2);
assert.ok(url?.endsWith("/") && newerUrl?.endsWith("/"), "usage: node check.mjs <emulator url ending in /> <key> <newer-cloud emulator url ending in />");
const base = url.slice(0, -1);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let passed = 0;
let failed = 0;

async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(error?.stack ?? error).split("\n").slice(0, 4).join("\n     ")}`);
  }
}

async function control(method, path, body, at = url) {
  const response = await fetch(`${at}__emulator/${path}`, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: response.status === 204 ? null : await response.json() };
}

async function rejects(promise, status, text) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.status ?? error.statusCode, status, `status of ${error}`);
    assert.match(String(error.message), text);
    return true;
  });
}

const sdk = new Firecrawl({ apiKey: key, apiUrl: base });
const cli = createRequire(import.meta.url).resolve("firecrawl-cli/package.json").replace(/package\.json$/, "dist/index.js");
const node = (args) => run(process.execPath, [cli, ...args, "--api-url", base, "--api-key", key], { timeout: 60_000 })
  .then((r) => ({ code: 0, out: r.stdout + r.stderr }), (e) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }));

assert.equal((await control("POST", "reset")).status, 204);

let batch;
let crawl;
await check("SDK startBatchScrape: a UUID and the job's URL on this server", async () => {
  batch = await sdk.startBatchScrape(["https://example.com"]);
  assert.match(batch.id, uuid);
  assert.equal(batch.url, `${base}/v2/batch/scrape/${batch.id}`);
  assert.deepEqual(batch.invalidURLs, []); // v2 sends "invalidURLs":[] after url
});

await check("SDK startCrawl accepts a crawl URL the real server accepts (an IP and a port, no TLD)", async () => {
  crawl = await sdk.startCrawl("http://127.0.0.1:1/x.html");
  assert.match(crawl.id, uuid);
  assert.equal(crawl.url, `${base}/v2/crawl/${crawl.id}`);
});

await check("SDK startCrawl: a URL without a TLD is refused 400 as the real server's zod check does", async () => {
  await rejects(sdk.startCrawl("http://intranet/x"), 400, /Bad Request|Invalid URL/);
});

await check("SDK getActiveCrawls lists the running crawl, never a batch scrape", async () => {
  const active = await sdk.getActiveCrawls();
  assert.equal(active.success, true);
  assert.deepEqual(active.crawls.map((c) => c.id), [crawl.id]);
  assert.equal(active.crawls[0].url, "http://127.0.0.1:1/x.html");
  assert.match(active.crawls[0].teamId, uuid);
});

await check("SDK cancelBatchScrape: true, and true again (the server answers 200 {status:cancelled} twice)", async () => {
  assert.equal(await sdk.cancelBatchScrape(batch.id), true);
  assert.equal(await sdk.cancelBatchScrape(batch.id), true);
});

await check("SDK cancelCrawl: true twice, and the crawl leaves the active list at once", async () => {
  assert.equal(await sdk.cancelCrawl(crawl.id), true);
  assert.equal(await sdk.cancelCrawl(crawl.id), true);
  assert.deepEqual((await sdk.getActiveCrawls()).crawls, []);
});

await check("SDK cancel of an unknown id: 404 Job not found", async () => {
  await rejects(sdk.cancelBatchScrape("0190b2a1-0000-7000-8000-000000000000"), 404, /Job not found/);
  await rejects(sdk.cancelCrawl("0190b2a1-0000-7000-8000-000000000000"), 404, /Job not found/);
});

await check("SDK cancel of a malformed id: 404 Job not found (this build has no UUID check on v2)", async () => {
  await rejects(sdk.cancelBatchScrape("not-a-uuid"), 404, /Job not found/);
  await rejects(sdk.cancelCrawl("12345"), 404, /Job not found/);
});

await check("SDK with another key: 401 Unauthorized: Invalid token", async () => {
  const stranger = new Firecrawl({ apiKey: `fc-${randomUUID().replaceAll("-", "")}`, apiUrl: base });
  await rejects(stranger.cancelCrawl(crawl.id), 401, /Unauthorized: Invalid token/);
});

await check("SDK getBatchScrapeStatus after a cancel: cancelled, 0 of 1, next links to ?skip=0 of the same page", async () => {
  const status = await sdk.getBatchScrapeStatus(batch.id, { autoPaginate: false });
  assert.equal(status.status, "cancelled");
  assert.equal(status.completed, 0);
  assert.equal(status.total, 1);
  assert.equal(status.creditsUsed, 0);
  assert.equal(status.next, `${base}/v2/batch/scrape/${batch.id}?skip=0`);
  assert.deepEqual(status.data, []);
  assert.match(status.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
});

await check("SDK getBatchScrapeStatus with auto-pagination follows ?skip=0 forever, as against the real server", async () => {
  // The SDK loops while the server sends `next`; a cancelled job that scraped nothing always does. maxPages ends it.
  const bounded = await sdk.getBatchScrapeStatus(batch.id, { maxPages: 3 });
  assert.deepEqual(bounded.data, []);
  const unbounded = sdk.getBatchScrapeStatus(batch.id);
  const outcome = await Promise.race([unbounded.then(() => "returned"), new Promise((r) => setTimeout(() => r("still looping"), 2000))]);
  assert.equal(outcome, "still looping");
});

await check("SDK getCrawlStatus after a cancel: cancelled, 0 of 0, no next (the kickoff never ran), as the real build answers", async () => {
  const status = await sdk.getCrawlStatus(crawl.id, { autoPaginate: false });
  assert.equal(status.status, "cancelled");
  assert.equal(status.completed, 0);
  assert.equal(status.total, 0);
  assert.equal(status.next, null);
  assert.deepEqual(status.data, []);
});

await check("SDK getCrawlStatus with auto-pagination after a cancel returns at once, as from the real build", async () => {
  const outcome = await Promise.race([sdk.getCrawlStatus(crawl.id).then(() => "returned"), new Promise((r) => setTimeout(() => r("still looping"), 2000))]);
  assert.equal(outcome, "returned");
});

await check("control API: a completed job has its pages and no next link, so the SDK returns at once", async () => {
  const done = (await control("POST", "jobs", { kind: "batch-scrape", apiKey: key, status: "completed", total: 2 })).json;
  const status = await sdk.getBatchScrapeStatus(done.id);
  assert.equal(status.status, "completed");
  assert.equal(status.data.length, 2);
  assert.equal(status.next, null);
});

await check("control API: a queued 503 reaches the SDK's next cancel, then the real answer resumes", async () => {
  const job = (await control("POST", "jobs", { kind: "crawl", apiKey: key })).json;
  assert.equal((await control("POST", "faults", { route: "cancel-crawl", fault: { kind: "status", status: 503 } })).status, 201);
  await rejects(sdk.cancelCrawl(job.id), 503, /.*/);
  assert.equal(await sdk.cancelCrawl(job.id), true);
});

await check("Node CLI crawl --cancel: exit 0 and status cancelled, twice", async () => {
  const job = (await control("POST", "jobs", { kind: "crawl", apiKey: key })).json;
  for (let i = 0; i < 2; i++) {
    const result = await node(["crawl", job.id, "--cancel"]);
    assert.equal(result.code, 0, result.out);
    assert.equal(JSON.parse(result.out).status, "cancelled");
  }
  assert.equal((await control("GET", `jobs/${job.id}`)).json.status, "cancelled");
});

await check("Node CLI crawl --cancel of an unknown id: exit 1, Job not found", async () => {
  const result = await node(["crawl", "0190b2a1-0000-7000-8000-000000000000", "--cancel"]);
  assert.equal(result.code, 1, result.out);
  assert.match(result.out, /Job not found/);
});

await check("Node CLI crawl --cancel of a malformed id: refused by the CLI itself, exit 1, no request sent", async () => {
  const result = await node(["crawl", "typo-not-an-id", "--cancel"]);
  assert.equal(result.code, 1, result.out);
  assert.match(result.out, /requires a job ID/);
  // (The unbounded status loop above is still polling; it is the only traffic, and it never names this id.)
  assert.deepEqual((await control("GET", "requests")).json.requests.filter((r) => r.target.includes("typo-not-an-id")), []);
});

await check("control API: the key never appears in the recorded requests", async () => {
  const { json } = await control("GET", "requests");
  assert.ok(json.requests.length > 0);
  assert.ok(!JSON.stringify(json).includes(key));
  assert.ok(json.requests.every((r) => r.headers.Authorization === "Bearer [redacted]"));
});

// The newer cloud: agent jobs, DELETE /v2/agent/{id}, the answers of the agent controller.
const newer = new Firecrawl({ apiKey: key, apiUrl: newerUrl.slice(0, -1) });
let agentId;
await check("newer cloud: SDK startAgent answers a UUIDv7 id, and getAgentStatus reads processing", async () => {
  const started = await newer.startAgent({ prompt: "Find the pricing page" });
  assert.equal(started.success, true);
  assert.match(started.id, uuid);
  assert.equal(started.id[14], "7");
  agentId = started.id;
  assert.equal((await newer.getAgentStatus(agentId)).status, "processing");
});

await check("newer cloud: SDK cancelAgent is true; the status reads failed with the cancel's error", async () => {
  assert.equal(await newer.cancelAgent(agentId), true);
  const status = await newer.getAgentStatus(agentId);
  assert.equal(status.status, "failed");
  assert.match(status.error, /cancelled/);
});

await check("newer cloud: SDK cancelAgent again throws 409 Agent is already cancelled", async () => {
  await rejects(newer.cancelAgent(agentId), 409, /Agent is already cancelled/);
});

await check("newer cloud: SDK cancelAgent of a finished agent job throws 409 Agent already finished", async () => {
  const done = (await control("POST", "jobs", { kind: "agent", apiKey: key, status: "completed" }, newerUrl)).json;
  await rejects(newer.cancelAgent(done.id), 409, /Agent already finished/);
});

await check("newer cloud: SDK cancelAgent of an unknown id throws 404 Agent job not found; a malformed id 400", async () => {
  await rejects(newer.cancelAgent("0190b2a1-0000-7000-8000-000000000000"), 404, /Agent job not found/);
  await rejects(newer.cancelAgent("not-a-uuid"), 400, /Invalid job ID format/);
});

await check("self-hosted (August 2025): there is no agent route, so cancelAgent throws 404", async () => {
  await rejects(sdk.cancelAgent("0190b2a1-0000-7000-8000-000000000000"), 404, /.*/);
});

// Not in the "N passed, N failed" form: CI prints that line once, for the .NET tests.
console.log(`JS clients: ${passed} of ${passed + failed} checks passed`);
process.exit(failed === 0 ? 0 : 1);
