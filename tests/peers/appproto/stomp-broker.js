// A minimal STOMP 1.0-1.2 broker over WebSocket at /stomp, written for the app-protocol tests because no
// STOMP-over-WebSocket broker installs from the registries these machines reach. Prints its port as the first stdout
// line. It selects v12.stomp, v11.stomp or v10.stomp when offered (and no subprotocol otherwise, as Spring's and
// RabbitMQ's WebSocket endpoints do), answers CONNECT/STOMP with CONNECTED, delivers SEND to SUBSCRIBE'd
// destinations as MESSAGE, answers receipts, and, as real brokers do, answers anything that is not a STOMP frame
// with an ERROR frame and closes.
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const commands = new Set(['CONNECT', 'STOMP', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT']);
const versions = { 'v12.stomp': '1.2', 'v11.stomp': '1.1', 'v10.stomp': '1.0' };

function parse(text) {
  const body = text.replace(/^(\r?\n)+/, '');
  if (body.length === 0) return { heartbeat: true };
  const end = body.indexOf('\n\n') >= 0 ? body.indexOf('\n\n') : body.indexOf('\r\n\r\n');
  if (end < 0 || !body.endsWith('\0')) return null;
  const lines = body.slice(0, end).split(/\r?\n/);
  const command = lines.shift();
  if (!commands.has(command)) return null;
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && !(line.slice(0, colon) in headers)) headers[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return { command, headers, body: body.slice(end + 2, -1).replace(/^\n/, '') };
}

const frame = (command, headers, body = '') =>
  `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}`).join('\n')}\n\n${body}\0`;

const server = http.createServer((req, res) => { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('not found\n'); });
const wss = new WebSocketServer({
  server,
  path: '/stomp',
  handleProtocols: (offered) => ['v12.stomp', 'v11.stomp', 'v10.stomp'].find((p) => offered.has(p)) || false,
});
const subscriptions = new Map(); // destination -> Set of {ws, id}
let messageId = 0;

wss.on('connection', (ws) => {
  let connected = false;
  const mine = [];
  ws.on('message', (data) => {
    const f = parse(data.toString());
    if (f === null || (!connected && !f.heartbeat && f.command !== 'CONNECT' && f.command !== 'STOMP')) {
      ws.send(frame('ERROR', { 'content-type': 'text/plain', message: connected ? 'malformed frame received' : 'expected a CONNECT frame' },
        'The message does not contain a valid STOMP frame.'));
      ws.close(1002, 'STOMP protocol error');
      return;
    }
    if (f.heartbeat) return;
    const receipt = f.headers.receipt;
    switch (f.command) {
      case 'CONNECT':
      case 'STOMP':
        connected = true;
        ws.send(frame('CONNECTED', { version: versions[ws.protocol] || '1.2', 'heart-beat': '0,0', server: 'wsdoctor-test-stomp/1' }));
        break;
      case 'SUBSCRIBE': {
        const set = subscriptions.get(f.headers.destination) || new Set();
        const sub = { ws, id: f.headers.id };
        set.add(sub);
        mine.push([f.headers.destination, sub]);
        subscriptions.set(f.headers.destination, set);
        break;
      }
      case 'SEND':
        for (const sub of subscriptions.get(f.headers.destination) || []) {
          sub.ws.send(frame('MESSAGE', { subscription: sub.id, 'message-id': String(++messageId), destination: f.headers.destination }, f.body));
        }
        break;
      case 'DISCONNECT':
        if (receipt) ws.send(frame('RECEIPT', { 'receipt-id': receipt }));
        ws.close(1000);
        return;
    }
    if (receipt) ws.send(frame('RECEIPT', { 'receipt-id': receipt }));
  });
  ws.on('close', () => { for (const [d, sub] of mine) subscriptions.get(d)?.delete(sub); });
});
server.listen(Number(opt('--port', '0')), '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
