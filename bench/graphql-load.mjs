#!/usr/bin/env node
// Load driver for Shelf's GraphQL endpoint: N keep-alive connections each POST one GraphQL document in a closed
// loop (send, read the whole answer, send again) for D seconds; prints requests/s and exact latency percentiles.
// Fails (exit 1) on any non-200 answer, connection error or timeout, and on GraphQL `errors` (or a missing or
// short expected list) in the sampled response bodies: every --sample-every-th body is parsed, the first always.
//
// Usage: node bench/graphql-load.mjs --token <session token> (--query '<document>' | --query-file f.graphql)
//          [--variables '<json>'] [--url http://localhost:8080/graphql] [--connections 16] [--duration 30]
//          [--warmup 5] [--sample-every 20] [--expect-path data.products.nodes --expect-length 50]
//          [--label name] [--json results.json] [--allow-empty]
//          [--header 'Name: value' ...] [--expect-header 'Name: value' ...]
// The token may also come from SHELF_TOKEN; --tokens-file (one token per line) sends each request as the next of
// them in turn, many shops' traffic instead of one shop's. --warmup runs first and is not measured; --allow-empty accepts a run
// without any response (a short warm-up on a cold server), never a wrong one. --header adds a request header (e.g.
// an Idempotency-Key); --expect-header fails the run unless every 200 answer carries that header with that value.
//
// Node's own http client, no dependency: autocannon (8.0.0 and 9.0.0) mis-measures latency against Tomcat,
// which closes a keep-alive connection after 100 requests; autocannon then keeps the start time of the request
// it wrote into the closing connection and pairs every later answer with the request before it, so its
// latencies grow with every reconnect (seen here: 3.8 ms true median, 12-28 ms reported).
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:8080/graphql' },
    token: { type: 'string', default: process.env.SHELF_TOKEN ?? '' },
    'tokens-file': { type: 'string' },
    query: { type: 'string' },
    'query-file': { type: 'string' },
    variables: { type: 'string', default: '{}' },
    connections: { type: 'string', default: '16' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '0' },
    'sample-every': { type: 'string', default: '20' },
    'expect-path': { type: 'string' },
    'expect-length': { type: 'string' },
    label: { type: 'string', default: 'graphql' },
    json: { type: 'string' },
    'allow-empty': { type: 'boolean', default: false },
    header: { type: 'string', multiple: true, default: [] },
    'expect-header': { type: 'string', multiple: true, default: [] },
  },
});

function fail(message) {
  console.error(`graphql-load: ${message}`);
  process.exit(2);
}

const query = opts.query ?? (opts['query-file'] ? readFileSync(opts['query-file'], 'utf8') : null);
if (!query) fail('give --query or --query-file');
const tokens = opts['tokens-file']
  ? readFileSync(opts['tokens-file'], 'utf8').split('\n').map((line) => line.trim()).filter((line) => line)
  : [opts.token];
if (!tokens[0]) fail('give --token (or SHELF_TOKEN): mint one with java -jar app/target/shelf.jar dev-token --shop=<shop>');
let variables;
try {
  variables = JSON.parse(opts.variables);
} catch (e) {
  fail(`--variables is not JSON: ${e.message}`);
}
const connections = Number(opts.connections);
const duration = Number(opts.duration);
const warmup = Number(opts.warmup);
const sampleEvery = Math.max(1, Number(opts['sample-every']));
const expectLength = opts['expect-length'] === undefined ? null : Number(opts['expect-length']);
if (!Number.isInteger(connections) || connections < 1) fail('--connections must be a whole number >= 1');
for (const [name, value] of [['duration', duration], ['warmup', warmup]]) {
  if (!Number.isFinite(value) || value < 0) fail(`--${name} must be a number of seconds`);
}
const url = new URL(opts.url);
const body = Buffer.from(JSON.stringify({ query, variables }));
function headerPair(option, text) {
  const colon = text.indexOf(':');
  if (colon < 1) fail(`--${option} takes 'Name: value', got '${text}'`);
  return [text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim()];
}
const headers = {
  'content-type': 'application/json',
  'content-length': body.length,
  ...Object.fromEntries(opts.header.map((h) => headerPair('header', h))),
};
const expectedHeaders = opts['expect-header'].map((h) => headerPair('expect-header', h));
const TIMEOUT_MS = 10_000;

let sent = 0;
/** One POST; resolves with the status and body, rejects on a connection error or timeout. */
function post(agent) {
  const requestHeaders = { ...headers, authorization: `Bearer ${tokens[sent++ % tokens.length]}` };
  return new Promise((resolve, reject) => {
    const request = http.request({
      agent, hostname: url.hostname, port: url.port || 80, path: url.pathname + url.search, method: 'POST', headers: requestHeaders,
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: chunks }));
      response.on('error', reject);
    });
    request.setTimeout(TIMEOUT_MS, () => request.destroy(Object.assign(new Error('timeout'), { timeout: true })));
    request.on('error', reject);
    request.end(body);
  });
}

/** Checks one response body; returns a problem or null. */
function check(text) {
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 300)}`;
  }
  if (json.errors) return `GraphQL errors: ${JSON.stringify(json.errors).slice(0, 500)}`;
  if (!json.data) return `no data: ${text.slice(0, 300)}`;
  if (opts['expect-path']) {
    const value = opts['expect-path'].split('.').reduce((node, key) => (node == null ? node : node[key]), json);
    if (!Array.isArray(value)) return `${opts['expect-path']} is not a list in ${text.slice(0, 300)}`;
    if (expectLength !== null && value.length !== expectLength) {
      return `${opts['expect-path']} has ${value.length} entries, expected ${expectLength}`;
    }
  }
  return null;
}

async function run(seconds, measured) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const latencies = [];
  const statuses = {};
  const problems = [];
  let ok200 = 0;
  let sampled = 0;
  let connectionErrors = 0;
  let timeouts = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  async function connection() {
    while (process.hrtime.bigint() < deadline) {
      const sent = process.hrtime.bigint();
      try {
        const response = await post(agent);
        latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 200) {
          for (const [name, value] of expectedHeaders) {
            const problem = response.headers[name] === value ? null : `header ${name}: ${response.headers[name]}, expected ${value}`;
            if (problem && problems.length < 5 && !problems.includes(problem)) problems.push(problem);
          }
          if (ok200++ % sampleEvery === 0) {
            sampled++;
            const problem = check(Buffer.concat(response.body).toString('utf8'));
            if (problem && problems.length < 5 && !problems.includes(problem)) problems.push(problem);
          }
        } else {
          const problem = `HTTP ${response.status}: ${Buffer.concat(response.body).toString('utf8').slice(0, 300)}`;
          if (problems.length < 5 && !problems.includes(problem)) problems.push(problem);
        }
      } catch (error) {
        if (error.timeout) timeouts++;
        else connectionErrors++;
        const problem = `request failed: ${error.message}`;
        if (problems.length < 5 && !problems.includes(problem)) problems.push(problem);
        await new Promise((resolve) => setTimeout(resolve, 100)); // no busy loop against a dead server
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
    label: opts.label,
    measured,
    connections,
    durationSeconds: Math.round(elapsed * 100) / 100,
    requests: latencies.length,
    requestsPerSecond: latencies.length / elapsed,
    latencyMs: {
      p50: pct(50), p90: pct(90), p99: pct(99), p999: pct(99.9), max: latencies.at(-1),
      mean: latencies.reduce((s, v) => s + v, 0) / (latencies.length || 1),
    },
    statuses,
    non200,
    connectionErrors,
    timeouts,
    sampledBodies: sampled,
    problems,
    loadGeneratorCpuCores: (cpu.user + cpu.system) / 1e6 / elapsed,
  };
}

function verdict(r) {
  const bad = [];
  if (r.requests === 0 && !opts['allow-empty']) bad.push('no responses');
  if (r.non200 > 0) bad.push(`${r.non200} non-200 answers ${JSON.stringify(r.statuses)}`);
  if (r.connectionErrors > 0) bad.push(`${r.connectionErrors} connection errors`);
  if (r.timeouts > 0) bad.push(`${r.timeouts} timeouts (> ${TIMEOUT_MS / 1000} s)`);
  if (r.problems.length > 0) bad.push(`problems: ${r.problems.join(' | ')}`);
  return bad;
}

const f = (v) => (Number.isFinite(v) ? v.toFixed(2) : '-');
function report(r) {
  return `[${r.label}] ${r.connections} connections, ${r.durationSeconds} s: ${r.requests} requests, ` +
    `${r.requestsPerSecond.toFixed(1)} req/s, latency p50 ${f(r.latencyMs.p50)} ms, p90 ${f(r.latencyMs.p90)} ms, ` +
    `p99 ${f(r.latencyMs.p99)} ms, max ${f(r.latencyMs.max)} ms; ${r.sampledBodies} bodies checked; ` +
    `load generator used ${r.loadGeneratorCpuCores.toFixed(2)} cores` + (r.ok ? '' : `; FAILED: ${r.failures.join('; ')}`);
}

if (warmup > 0) {
  const w = await run(warmup, false);
  // A cold server may answer nothing in a short warm-up; only wrong answers fail it.
  w.failures = verdict(w).filter((problem) => problem !== 'no responses');
  w.ok = w.failures.length === 0;
  console.error(report({ ...w, label: `${opts.label} warm-up` }));
  if (!w.ok) process.exit(1);
}
const r = await run(duration, true);
r.failures = verdict(r);
r.ok = r.failures.length === 0;
console.log(report(r));
if (opts.json) writeFileSync(opts.json, JSON.stringify(r, null, 2) + '\n');
process.exit(r.ok ? 0 : 1);
