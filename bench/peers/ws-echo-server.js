'use strict';
// The Node `ws` echo server the benchmark compares `wsdoctor serve` with. It uses the ws pinned in
// tests/peers (npm ci there), without permessage-deflate so both servers move the same bytes, and
// prints one line `listening ws://127.0.0.1:PORT/` once it accepts.
// Usage: node ws-echo-server.js [path/to/node_modules/ws] [port]
const path = require('path');

const wsModule = process.argv[2] || path.join(__dirname, '..', '..', 'tests', 'peers', 'node_modules', 'ws');
const port = Number(process.argv[3] || 0);
const { WebSocketServer } = require(wsModule);

// 64 MiB, the same message limit as wsdoctor serve's default.
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });

server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  // A client that vanishes mid-run must not crash the server for the others.
  socket.on('error', () => {});
});

server.on('listening', () => {
  process.stdout.write(`listening ws://127.0.0.1:${server.address().port}/\n`);
});

server.on('error', (error) => {
  process.stderr.write(`ws-echo-server: ${error.message}\n`);
  process.exit(1);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
