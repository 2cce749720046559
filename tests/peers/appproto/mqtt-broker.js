// An MQTT broker (npm aedes) over WebSocket (npm websocket-stream) at /mqtt, written for the app-protocol tests.
// Prints its port as the first stdout line. Every published message is logged on stdout as one JSON line
// {"topic":T,"payload":P}. --publish-every MS publishes {"tick":N} on topic "ticks" that often (0 = never).
'use strict';
const http = require('http');
const { Aedes } = require('aedes');
const websocketStream = require('websocket-stream');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };

(async () => {
  const broker = await Aedes.createBroker();
  broker.on('publish', (packet, client) => {
    if (client) console.log(JSON.stringify({ topic: packet.topic, payload: packet.payload.toString() }));
  });
  const server = http.createServer((req, res) => { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('not found\n'); });
  websocketStream.createServer({ server, path: '/mqtt' }, broker.handle);
  const every = Number(opt('--publish-every', '0'));
  let tick = 0;
  if (every > 0) setInterval(() => broker.publish({ topic: 'ticks', payload: Buffer.from(JSON.stringify({ tick: ++tick })), qos: 0, retain: false }, () => {}), every);
  server.listen(Number(opt('--port', '0')), '127.0.0.1', () => console.log(server.address().port));
})();
process.on('SIGTERM', () => process.exit(0));
