'use strict';
// The Node `ws` closed-loop load client of the generator comparison: N connections, each sending one binary
// message of S bytes and waiting for its echo before sending the next, for a given number of seconds. Every
// echo is compared with what was sent (the message carries its sequence number in its first bytes), as
// wsdoctor bench does, so neither generator skips work the other does. Uses the ws pinned in tests/peers.
// Prints one line `done SENT RECEIVED ERRORS` at the end; the bench counts messages on the server instead.
// Usage: node ws-load-client.js URL CONNECTIONS BYTES SECONDS [path/to/node_modules/ws]
const path = require('path');

const [url, connectionsText, bytesText, secondsText, wsArg] = process.argv.slice(2);
const connections = Number(connectionsText);
const bytes = Number(bytesText);
const seconds = Number(secondsText);
if (!url || !(connections > 0) || !(bytes >= 8) || !(seconds > 0)) {
  process.stderr.write('usage: node ws-load-client.js URL CONNECTIONS BYTES(>=8) SECONDS [ws module]\n');
  process.exit(2);
}

const WebSocket = require(wsArg || path.join(__dirname, '..', '..', 'tests', 'peers', 'node_modules', 'ws'));
let sent = 0;
let received = 0;
let errors = 0;
let stopping = false;
const sockets = [];

function open(index) {
  const payload = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) payload[i] = (i * 31 + index * 7 + 1) & 0xff;
  let sequence = 0;
  const socket = new WebSocket(url, { perMessageDeflate: false });
  sockets.push(socket);
  const next = () => {
    if (stopping) return;
    payload.writeUInt32LE(sequence >>> 0, 0);
    socket.send(payload, { binary: true });
    sent++;
  };
  socket.on('open', next);
  socket.on('message', (data, isBinary) => {
    if (!isBinary || !payload.equals(data)) {
      errors++;
      socket.terminate();
      return;
    }
    received++;
    sequence++;
    next();
  });
  socket.on('error', () => { errors++; });
}

for (let i = 0; i < connections; i++) open(i);

function finish() {
  stopping = true;
  for (const socket of sockets) socket.terminate();
  process.stdout.write(`done ${sent} ${received} ${errors}\n`);
  process.exit(errors > 0 ? 1 : 0);
}

setTimeout(finish, seconds * 1000);
process.on('SIGTERM', finish);
