// The echo server of the Autobahn convention, on Node `ws`, for `wsdoctor conform server`: every message is sent
// back with its type. permessage-deflate is on (ws servers default to off) so cases 12 and 13 are exercised, as
// in ws's own Autobahn runs. Prints its port as the first stdout line. Usage: node ws-echo-server.js [--port N]
'use strict';
const path = require('path');
const { WebSocketServer } = require(path.join(__dirname, '..', 'node_modules', 'ws'));

const args = process.argv.slice(2);
const at = args.indexOf('--port');
const port = at >= 0 ? Number(args[at + 1]) : 0;
const noDeflate = args.includes('--no-deflate');

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: !noDeflate, maxPayload: 64 * 1024 * 1024 }, () => {
  process.stdout.write(`${wss.address().port}\n`);
});
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
process.on('SIGTERM', () => process.exit(0));
