// Sends N numbered text messages to an echo server through Node `ws`, at most WINDOW unanswered at a time, and checks
// that every echo comes back, once, in order and intact. Prints one JSON line:
//   {"sent":N,"received":N,"inOrder":N,"mismatches":[...first few...],"closeCode":1000,"ms":...}
// Usage: node echo-sequence.js URL N [SIZE=1024] [WINDOW=32] [TIMEOUT_MS=120000]
'use strict';
const path = require('path');
const WebSocket = require(path.join(__dirname, '..', 'node_modules', 'ws'));

const [url, countText, sizeText = '1024', windowText = '32', timeoutText = '120000'] = process.argv.slice(2);
const count = Number(countText);
const size = Number(sizeText);
const window = Number(windowText);
const started = Date.now();
let sent = 0;
let received = 0;
let inOrder = 0;
const mismatches = [];

const body = (i) => {
  const head = `seq:${i}:`;
  return head + 'x'.repeat(Math.max(0, size - head.length));
};

const finish = (closeCode) => {
  process.stdout.write(JSON.stringify({ sent, received, inOrder, mismatches, closeCode, ms: Date.now() - started }) + '\n');
  process.exit(0);
};

const timer = setTimeout(() => finish(null), Number(timeoutText));
const ws = new WebSocket(url, { perMessageDeflate: false });
const pump = () => {
  while (sent < count && sent - received < window) {
    ws.send(body(sent++));
  }
};
ws.on('open', pump);
ws.on('message', (data) => {
  const text = data.toString();
  if (text === body(received)) {
    inOrder++;
  } else if (mismatches.length < 5) {
    mismatches.push({ expected: received, got: text.slice(0, 40) });
  }
  received++;
  if (received === count) {
    ws.close(1000);
  } else {
    pump();
  }
});
ws.on('close', (code) => { clearTimeout(timer); finish(code); });
ws.on('error', (error) => process.stderr.write(`error: ${error.message}\n`));
