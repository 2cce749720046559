// The echo server of the Autobahn convention, on Node `ws`, for `wsdoctor conform server`: every message is sent
// back with its type. permessage-deflate is on (ws servers default to off) so cases 12 and 13 are exercised, as
// in ws's own Autobahn runs. ws 8.23 caps a message at 16384 fragments (maxFragments, closing with 1008), which
// cases 9.3.1 and 9.4.1 exceed with 65536; the cap is lifted here unless --ws-defaults keeps ws's own settings.
// Prints its port as the first stdout line. Usage: node ws-echo-server.js [--port N] [--no-deflate] [--ws-defaults]
'use strict';
const path = require('path');
const { WebSocketServer } = require(path.join(__dirname, '..', 'node_modules', 'ws'));

const args = process.argv.slice(2);
const at = args.indexOf('--port');
const port = at >= 0 ? Number(args[at + 1]) : 0;
const noDeflate = args.includes('--no-deflate');
const limits = args.includes('--ws-defaults') ? {} : { maxFragments: 0, maxBufferedChunks: 0 };

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: !noDeflate, maxPayload: 64 * 1024 * 1024, ...limits }, () => {
  process.stdout.write(`${wss.address().port}\n`);
});
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
process.on('SIGTERM', () => process.exit(0));
