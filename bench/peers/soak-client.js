// The soak's load: CYCLES connect/echo/close cycles against a WebSocket echo server through Node `ws`, CONCURRENCY at a
// time, each a fresh TCP connection that opens, sends one message, waits for its echo and closes with 1000. Every EVERY
// cycles it samples the server process (PID) from /proc: resident memory (VmRSS) and open file descriptors, and prints
// one JSON line {"cycles":N,"rssKiB":N,"fds":N,"failures":N,"elapsedMs":N}. The last line is {"done":true,...}.
// WARMUP cycles run first and are not counted: the first connections make the runtime load (and map) the assemblies
// of the WebSocket path, about 14 descriptors that are not connections; the baseline is taken after them.
// Usage: node soak-client.js URL PID CYCLES [CONCURRENCY=4] [EVERY=5000] [WARMUP=200]
'use strict';
const fs = require('fs');
const path = require('path');
const WebSocket = require(path.join(__dirname, '..', '..', 'tests', 'peers', 'node_modules', 'ws'));

const [url, pidText, cyclesText, concurrencyText = '4', everyText = '5000', warmupText = '200'] = process.argv.slice(2);
const pid = Number(pidText);
const cycles = Number(cyclesText);
const concurrency = Number(concurrencyText);
const every = Number(everyText);
let started = Date.now();
let begun = 0;
let finished = 0;
let failures = 0;
let nextSample = 0;

const sample = () => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  const fds = fs.readdirSync(`/proc/${pid}/fd`).length;
  return { cycles: finished, rssKiB, fds, failures, elapsedMs: Date.now() - started };
};

const print = (record) => process.stdout.write(JSON.stringify(record) + '\n');

const cycle = () => new Promise((resolve) => {
  const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 10000 });
  const payload = `soak ${begun}`;
  let ok = false;
  const timer = setTimeout(() => ws.terminate(), 15000);
  ws.on('open', () => ws.send(payload));
  ws.on('message', (data) => { ok = data.toString() === payload; ws.close(1000); });
  ws.on('error', () => {});
  ws.on('close', (code) => { clearTimeout(timer); if (!ok || code !== 1000) failures++; resolve(); });
});

const worker = async () => {
  while (begun < cycles) {
    begun++;
    await cycle();
    finished++;
    if (finished >= nextSample) {
      print(sample());
      nextSample += every;
    }
  }
};

const main = async () => {
  for (let i = 0; i < Number(warmupText); i++) {
    await cycle();
  }
  failures = 0;
  started = Date.now();
  print(sample());
  nextSample = every;
  await Promise.all(Array.from({ length: concurrency }, worker));
};

main().then(() => {
  // Let the server finish its closes and its timers, then the final reading.
  setTimeout(() => { print({ done: true, ...sample() }); process.exit(0); }, 3000);
});
