// A small chat server on Node `ws`, written for the scenario tests (wsdoctor test). Prints its port as the first
// stdout line. The upgrade needs a token (?token=… or "Authorization: Bearer …"): "secret" is accepted, "expired"
// is refused with 401, anything else or none with 403. Messages are JSON:
//   {"type":"join","room":R,"user":U}  -> {"type":"joined","room":R,"user":U,"members":[…],"id":N}
//   {"type":"say","text":T}            -> to everyone in the room: {"type":"message","from":U,"text":T,"seq":K}
//   {"type":"history"}                 -> three {"type":"notice","n":1..3} then {"type":"history","count":3}
//   {"type":"bye"}                     -> the server closes with 4000 "bye"
//   {"type":"kick"}                    -> the server closes with 1008 "kicked by admin"
//   {"type":"drop"}                    -> the server destroys the TCP connection (no Close frame: 1006)
//   anything else                      -> {"type":"error","error":"unknown type"}
// Options: --port N (0 = any), --heartbeat MS (the server pings every MS; 0 = never).
'use strict';
const http = require('http');
const path = require('path');
const { WebSocketServer } = require(path.join(__dirname, '..', 'node_modules', 'ws'));

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const heartbeat = Number(opt('--heartbeat', '0'));

const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
const wss = new WebSocketServer({ noServer: true });
let nextId = 1;
let seq = 0;

function tokenOf(req) {
  const url = new URL(req.url, 'http://localhost');
  const auth = req.headers.authorization || '';
  return url.searchParams.get('token') || (auth.startsWith('Bearer ') ? auth.slice(7) : null);
}

server.on('upgrade', (req, socket, head) => {
  const token = tokenOf(req);
  if (token !== 'secret') {
    const status = token === 'expired' ? '401 Unauthorized' : '403 Forbidden';
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${token === 'expired' ? 'token expired' : 'no valid token'}\n`);
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

wss.on('connection', (ws) => {
  ws.id = nextId++;
  if (heartbeat > 0) {
    const timer = setInterval(() => ws.ping('hb'), heartbeat);
    ws.on('close', () => clearInterval(timer));
  }
  ws.on('message', (data) => {
    let m;
    try { m = JSON.parse(data.toString()); } catch { ws.send(JSON.stringify({ type: 'error', error: 'not json' })); return; }
    switch (m.type) {
      case 'join':
        ws.room = m.room; ws.user = m.user;
        ws.send(JSON.stringify({ type: 'joined', room: m.room, user: m.user, id: ws.id,
          members: [...wss.clients].filter((c) => c.room === m.room).map((c) => c.user) }));
        break;
      case 'say':
        seq++;
        for (const c of wss.clients) {
          if (c.room === ws.room) c.send(JSON.stringify({ type: 'message', from: ws.user, text: m.text, seq }));
        }
        break;
      case 'history':
        for (let n = 1; n <= 3; n++) ws.send(JSON.stringify({ type: 'notice', n }));
        ws.send(JSON.stringify({ type: 'history', count: 3 }));
        break;
      case 'bye': ws.close(4000, 'bye'); break;
      case 'kick': ws.close(1008, 'kicked by admin'); break;
      case 'drop': ws._socket.destroy(); break;
      default: ws.send(JSON.stringify({ type: 'error', error: 'unknown type' }));
    }
  });
});

server.listen(Number(opt('--port', '0')), '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
