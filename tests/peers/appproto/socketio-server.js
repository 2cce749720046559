// A Socket.IO 4 server (npm socket.io, Engine.IO 4) written for the app-protocol tests. Prints its port as the first
// stdout line. On connection it emits "welcome" with the socket id; "chat" messages are answered with
// "chat" ("echo: " + text); "add" with an acknowledgement carries a + b back. Any other path answers 404.
// Options: --port N (0 = any).
'use strict';
const http = require('http');
const { Server } = require('socket.io');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };

const server = http.createServer((req, res) => { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('not found\n'); });
const io = new Server(server, { serveClient: false });
io.on('connection', (socket) => {
  socket.emit('welcome', { id: socket.id });
  socket.on('chat', (text) => socket.emit('chat', `echo: ${text}`));
  socket.on('add', (a, b, ack) => { if (typeof ack === 'function') ack(a + b); });
});
server.listen(Number(opt('--port', '0')), '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
