#!/usr/bin/env node
// Idempotency-Key burst: N requests of one mutation with one Idempotency-Key, all sent at the same moment on N
// connections; every 409 is retried after its Retry-After, as a client would, until each of the N has a 200.
// Then checks: exactly one response was executed (200 without Idempotent-Replayed), every other 200 carries
// Idempotent-Replayed: true and the executed response's body byte for byte, and the shop has exactly one product
// (asked through GraphQL). Prints counts, the burst's wall time and throughput, latency percentiles per outcome;
// exits 1 when any check fails.
//
// Usage: node bench/idempotency-replay.mjs --token <session token> [--url http://localhost:8080/graphql]
//          [--requests 1000] [--key <Idempotency-Key>] [--title <product title>] [--json results.json]
// The token may also come from SHELF_TOKEN. Node's own http client, no dependency (BENCHMARKS.md: why not
// autocannon).
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:8080/graphql' },
    token: { type: 'string', default: process.env.SHELF_TOKEN ?? '' },
    requests: { type: 'string', default: '1000' },
    key: { type: 'string', default: randomUUID() },
    title: { type: 'string', default: 'Idempotent Lamp' },
    json: { type: 'string' },
  },
});
const fail = (message) => { console.error(`idempotency-replay: ${message}`); process.exit(2); };
if (!opts.token) fail('give --token (or SHELF_TOKEN): java -jar app/target/shelf.jar dev-token --shop=<shop>');
const n = Number(opts.requests);
if (!Number.isInteger(n) || n < 1) fail('--requests must be a whole number >= 1');
const url = new URL(opts.url);

const MUTATION = 'mutation Create($input: ProductInput!) { productCreate(input: $input) { product { id title handle } userErrors { field code message } } }';
const mutation = Buffer.from(JSON.stringify({ query: MUTATION, variables: { input: { title: opts.title } } }));

function post(agent, body, extraHeaders = {}) {
  return new Promise((resolve, reject) => {
    const sent = process.hrtime.bigint();
    const request = http.request({
      agent, hostname: url.hostname, port: url.port || 80, path: url.pathname, method: 'POST',
      headers: {
        'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${opts.token}`,
        ...extraHeaders,
      },
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({
        status: response.statusCode,
        replayed: response.headers['idempotent-replayed'],
        retryAfter: response.headers['retry-after'],
        body: Buffer.concat(chunks).toString('utf8'),
        ms: Number(process.hrtime.bigint() - sent) / 1e6,
      }));
      response.on('error', reject);
    });
    request.setTimeout(60_000, () => request.destroy(new Error('timeout after 60 s')));
    request.on('error', reject);
    request.end(body);
  });
}

const outcome = (r) => (r.status === 200 ? (r.replayed === 'true' ? 'replayed' : 'executed') : String(r.status));

/** One client: sends, and on 409 waits Retry-After and sends again. Returns every answer it got. */
async function client(agent) {
  const answers = [];
  for (;;) {
    const answer = await post(agent, mutation, { 'idempotency-key': opts.key });
    answers.push(answer);
    if (answer.status !== 409) return answers;
    await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter ?? 1) * 1000));
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: n });
const started = process.hrtime.bigint();
const clients = await Promise.all(Array.from({ length: n }, () => client(agent).catch((error) => [{ error: error.message }])));
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;

const first = clients.map((answers) => answers[0]);
const all = clients.flat();
const last = clients.map((answers) => answers.at(-1));
const count = (list, fn) => list.reduce((m, r) => { const k = r.error ? 'error' : fn(r); m[k] = (m[k] ?? 0) + 1; return m; }, {});
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
};
const latency = (list) => ({
  n: list.length, p50: pct(list.map((r) => r.ms), 50), p99: pct(list.map((r) => r.ms), 99),
  max: Math.max(...list.map((r) => r.ms)),
});

const executed = all.filter((r) => !r.error && outcome(r) === 'executed');
const problems = [];
if (executed.length !== 1) problems.push(`${executed.length} executed responses, expected exactly 1`);
const reference = executed[0]?.body;
const finalOutcomes = count(last, outcome);
if ((finalOutcomes.executed ?? 0) + (finalOutcomes.replayed ?? 0) !== n) {
  problems.push(`not every client ended with a 200: ${JSON.stringify(finalOutcomes)}`);
}
const differing = last.filter((r) => !r.error && r.status === 200 && r.body !== reference).length;
if (differing) problems.push(`${differing} 200 responses differ from the executed one`);
const bad409 = all.filter((r) => r.status === 409 && !/^\d+$/.test(r.retryAfter ?? '')).length;
if (bad409) problems.push(`${bad409} 409 responses without a Retry-After in seconds`);
let parsed;
try {
  parsed = JSON.parse(reference ?? 'null');
} catch {
  parsed = null;
}
if (!parsed?.data?.productCreate?.product?.id) problems.push(`the executed response has no product: ${reference?.slice(0, 300)}`);

// How many products does the shop have now? (A fresh shop: exactly the one this burst created.)
const listing = await post(agent, Buffer.from(JSON.stringify({ query: '{ products(first: 250) { nodes { id title } } }' })));
const products = JSON.parse(listing.body)?.data?.products?.nodes ?? [];
if (products.length !== 1) problems.push(`the shop has ${products.length} products, expected 1`);
agent.destroy();

const result = {
  requests: n, key: opts.key, wallMs, throughputPerSecond: all.length / (wallMs / 1000),
  firstAnswers: count(first, outcome), allAnswers: count(all, outcome), finalAnswers: finalOutcomes,
  retriedClients: clients.filter((answers) => answers.length > 1).length,
  latencyMs: {
    all: latency(all.filter((r) => !r.error)),
    executed: latency(executed),
    replayed: latency(all.filter((r) => !r.error && outcome(r) === 'replayed')),
    conflict: latency(all.filter((r) => r.status === 409)),
  },
  productsInShop: products.length, product: products[0] ?? null, problems, ok: problems.length === 0,
};
const f = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const l = result.latencyMs;
console.log(`[idempotency burst] ${n} concurrent requests, one key: ${all.length} answers in ${f(wallMs)} ms ` +
  `(${f(result.throughputPerSecond)} answers/s); first answers ${JSON.stringify(result.firstAnswers)}, ` +
  `${result.retriedClients} clients retried after 409; final ${JSON.stringify(finalOutcomes)}; ` +
  `latency p50/p99 ms: executed ${f(l.executed.p50)}, replayed ${f(l.replayed.p50)}/${f(l.replayed.p99)} ` +
  `(n=${l.replayed.n}), 409 ${f(l.conflict.p50)}/${f(l.conflict.p99)} (n=${l.conflict.n}), all ${f(l.all.p50)}/${f(l.all.p99)}; ` +
  `products in shop: ${products.length}` + (result.ok ? '; OK' : `; FAILED: ${problems.join('; ')}`));
if (opts.json) writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
process.exit(result.ok ? 0 : 1);
