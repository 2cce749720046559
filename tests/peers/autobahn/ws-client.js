// The client loop library CI scripts run against Autobahn's fuzzingserver, on Node `ws`: ask /getCaseCount,
// open /runCase?case=N&agent=A for each case and echo every message with its type until the server closes,
// then /updateReports?agent=A. Used unchanged against `wsdoctor conform client`.
// Usage: node ws-client.js [ws://127.0.0.1:9001] [agent] [--no-report]
'use strict';
const path = require('path');
const WebSocket = require(path.join(__dirname, '..', 'node_modules', 'ws'));

const base = process.argv[2] || 'ws://127.0.0.1:9001';
const agent = process.argv[3] || 'ws';
const report = !process.argv.includes('--no-report');

function open(url, onMessage) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
    ws.on('error', () => {});
    ws.on('close', () => resolve());
  });
}

async function main() {
  let count = 0;
  await open(`${base}/getCaseCount`, (ws, data) => { count = parseInt(data.toString(), 10); });
  for (let i = 1; i <= count; i++) {
    await open(`${base}/runCase?case=${i}&agent=${encodeURIComponent(agent)}`, (ws, data, isBinary) => ws.send(data, { binary: isBinary }));
  }
  if (report) await open(`${base}/updateReports?agent=${encodeURIComponent(agent)}`, () => {});
  process.stdout.write(`ran ${count} cases\n`);
}

main().catch((e) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
