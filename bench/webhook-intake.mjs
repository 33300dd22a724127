#!/usr/bin/env node
// Load driver for Shelf's webhook intake: N keep-alive connections each POST Shopify deliveries in a closed loop
// (send, read the answer, send the next) for D seconds, the way Shopify does: raw JSON bytes signed with
// HMAC-SHA256 of the app secret, Shopify's headers, a new X-Shopify-Webhook-Id per delivery. Prints deliveries
// acknowledged per second and exact latency percentiles of the acknowledgement. Exits 1 on any answer but 200.
//
// Each delivery is a products/update of one of --products products of one shop (~2 KB, 3 variants, a newer
// updated_at each time), so the workers behind the inbox do real catalog upserts while the intake is measured.
// --duplicate-every N makes every N-th request a resend of the delivery before it, byte for byte (Shopify's retries).
//
// Usage: node bench/webhook-intake.mjs --secret <SHOPIFY_API_SECRET> [--url http://localhost:8080/webhooks/shopify]
//          [--shop bench-hooks.myshopify.com] [--connections 16] [--duration 30] [--warmup 10] [--products 1000]
//          [--duplicate-every 0] [--updated-from 2026-01-01T00:00:00Z] [--label name] [--json results.json]
import { createHmac, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:8080/webhooks/shopify' },
    secret: { type: 'string', default: process.env.SHOPIFY_API_SECRET ?? '' },
    shop: { type: 'string', default: 'bench-hooks.myshopify.com' },
    connections: { type: 'string', default: '16' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '0' },
    products: { type: 'string', default: '1000' },
    'duplicate-every': { type: 'string', default: '0' },
    'updated-from': { type: 'string', default: '2026-01-01T00:00:00Z' },
    label: { type: 'string', default: 'webhooks' },
    json: { type: 'string' },
  },
});

function fail(message) {
  console.error(`webhook-intake: ${message}`);
  process.exit(2);
}

if (!opts.secret) fail('give --secret (or SHOPIFY_API_SECRET): the secret the server verifies with');
const connections = Number(opts.connections);
const duration = Number(opts.duration);
const warmup = Number(opts.warmup);
const products = Number(opts.products);
const duplicateEvery = Number(opts['duplicate-every']);
if (!Number.isInteger(connections) || connections < 1) fail('--connections must be a whole number >= 1');
if (!Number.isInteger(products) || products < 1) fail('--products must be a whole number >= 1');
const url = new URL(opts.url);
// Each delivery's updated_at is one second after the one before, from here: a later run must start later, or
// its updates are (rightly) ignored as stale.
const updatedFrom = Date.parse(opts['updated-from']);
if (!Number.isFinite(updatedFrom)) fail('--updated-from must be an ISO-8601 time');
const TIMEOUT_MS = 10_000;
// Shopify ids beyond 2^53: the server must keep them exact (it parses them as 64-bit integers).
const FIRST_PRODUCT_ID = 9_007_199_254_740_993n;
let sequence = 0; // requests
let created = 0; // distinct deliveries
let previous = null;

/** The next delivery: body bytes, signature and headers; a duplicate is the previous one again, byte for byte. */
function nextDelivery() {
  sequence++;
  if (duplicateEvery > 0 && previous && sequence % duplicateEvery === 0) {
    return { ...previous, duplicate: true };
  }
  previous = newDelivery();
  return previous;
}

function newDelivery() {
  const webhookId = randomUUID();
  const n = ++created;
  const id = FIRST_PRODUCT_ID + BigInt(n % products);
  const updatedAt = new Date(updatedFrom + n * 1000).toISOString();
  const variants = [0, 1, 2].map((i) => `{"id": ${id * 10n + BigInt(i)}, "product_id": ${id}, "title": "Size ${i}", ` +
    `"sku": "SKU-${id}-${i}", "price": "${(19.99 + i).toFixed(2)}", "compare_at_price": null, ` +
    `"inventory_quantity": ${n % 50}, "position": ${i + 1}, "created_at": "2026-01-01T00:00:00Z", ` +
    `"updated_at": "${updatedAt}", "taxable": true, "barcode": null, "grams": 200, "weight": 0.2, "weight_unit": "kg"}`);
  const body = Buffer.from(`{"id": ${id}, "title": "Linen Shirt ${id}", ` +
    `"body_html": "<p>Breathes in summer. ${'Woven from European flax. '.repeat(20)}</p>", "vendor": "Acme Textiles", ` +
    `"product_type": "Shirts", "created_at": "2026-01-01T00:00:00Z", "handle": "linen-shirt-${id}", ` +
    `"updated_at": "${updatedAt}", "published_at": "2026-01-01T00:00:00Z", "status": "active", ` +
    `"tags": "summer, linen, shirts", "admin_graphql_api_id": "gid://shopify/Product/${id}", ` +
    `"variants": [${variants.join(', ')}], "options": [{"name": "Size", "values": ["Size 0", "Size 1", "Size 2"]}], ` +
    `"images": [], "image": null}`, 'utf8');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': body.length,
      'x-shopify-topic': 'products/update',
      'x-shopify-shop-domain': opts.shop,
      'x-shopify-webhook-id': webhookId,
      'x-shopify-api-version': '2026-10',
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
      'x-shopify-hmac-sha256': createHmac('sha256', opts.secret).update(body).digest('base64'),
    },
    duplicate: false,
  };
}

function post(agent, delivery) {
  return new Promise((resolve, reject) => {
    const request = http.request({
      agent, hostname: url.hostname, port: url.port || 80, path: url.pathname, method: 'POST', headers: delivery.headers,
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.setTimeout(TIMEOUT_MS, () => request.destroy(Object.assign(new Error('timeout'), { timeout: true })));
    request.on('error', reject);
    request.end(delivery.body);
  });
}

async function run(seconds, measured) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const latencies = [];
  const statuses = {};
  const problems = [];
  let duplicates = 0;
  let failures = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  async function connection() {
    while (process.hrtime.bigint() < deadline) {
      const delivery = nextDelivery(); // built before the clock starts: the server's time only
      const sent = process.hrtime.bigint();
      try {
        const response = await post(agent, delivery);
        latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (delivery.duplicate) duplicates++;
        if (response.status !== 200) {
          const problem = `HTTP ${response.status}: ${response.body.slice(0, 300)}`;
          if (problems.length < 5 && !problems.includes(problem)) problems.push(problem);
        }
      } catch (error) {
        failures++;
        const problem = `request failed: ${error.message}`;
        if (problems.length < 5 && !problems.includes(problem)) problems.push(problem);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, connection));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : NaN);
  const non200 = Object.entries(statuses).filter(([code]) => code !== '200').reduce((n, [, c]) => n + c, 0);
  return {
    label: opts.label, measured, connections, durationSeconds: Math.round(elapsed * 100) / 100,
    deliveries: latencies.length, duplicates, deliveriesPerSecond: latencies.length / elapsed,
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), p999: pct(99.9), max: latencies.at(-1) },
    statuses, non200, failures, problems, loadGeneratorCpuCores: (cpu.user + cpu.system) / 1e6 / elapsed,
  };
}

const f = (v) => (Number.isFinite(v) ? v.toFixed(2) : '-');
function report(r) {
  return `[${r.label}] ${r.connections} connections, ${r.durationSeconds} s: ${r.deliveries} deliveries ` +
    `(${r.duplicates} duplicates), ${r.deliveriesPerSecond.toFixed(1)} acks/s, latency p50 ${f(r.latencyMs.p50)} ms, ` +
    `p90 ${f(r.latencyMs.p90)} ms, p99 ${f(r.latencyMs.p99)} ms, max ${f(r.latencyMs.max)} ms; ` +
    `load generator used ${r.loadGeneratorCpuCores.toFixed(2)} cores` + (r.ok ? '' : `; FAILED: ${r.problems.join(' | ')}`);
}

if (warmup > 0) {
  const w = await run(warmup, false);
  w.ok = w.non200 === 0 && w.failures === 0;
  console.error(report({ ...w, label: `${opts.label} warm-up` }));
  if (!w.ok) process.exit(1);
}
const r = await run(duration, true);
r.ok = r.deliveries > 0 && r.non200 === 0 && r.failures === 0;
console.log(report(r));
if (opts.json) writeFileSync(opts.json, JSON.stringify(r, null, 2) + '\n');
process.exit(r.ok ? 0 : 1);
