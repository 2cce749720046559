// A WebSocket server whose every word is an attack on whoever renders it as HTML: for the security tests of the
// HTML outputs (conform's report, the probe page). Prints its port as the first stdout line.
//   default     upgrades with a hostile response header, sends a hostile text message, echoes what it receives,
//               and 150 ms after the upgrade closes with a hostile close reason (within the 123 bytes a reason may have)
//   --refuse    answers the upgrade with 403, a hostile reason phrase, a hostile header and a hostile HTML body
// Each payload sets window.__xss (to a different number) if a page ever runs it.
'use strict';
const http = require('http');
const path = require('path');
const { WebSocketServer } = require(path.join(__dirname, '..', 'node_modules', 'ws'));

const refuse = process.argv.includes('--refuse');
const header = '<script>window.__xss=1</script>';
const message = '<img src=x onerror="window.__xss=2"><script>window.__xss=2</script>';
const reason = '<img src=x onerror=window.__xss=3>';
const body = '<html><body><script>window.__xss=4</script><img src=x onerror="window.__xss=4">denied</body></html>';

const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(body); });
const wss = new WebSocketServer({ noServer: true });
wss.on('headers', (headers) => headers.push(`X-Hostile: ${header}`));
server.on('upgrade', (req, socket, head) => {
  if (refuse) {
    socket.end(`HTTP/1.1 403 <script>window.__xss=5</script>\r\nContent-Type: text/html\r\nX-Hostile: ${header}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.send(message);
    ws.on('message', (data, binary) => ws.send(data, { binary }));
    // Soon, so that a page that only watches for a moment (the probe page: 300 ms) still sees the reason.
    setTimeout(() => { if (ws.readyState === ws.OPEN) ws.close(4000, reason); }, 150);
  });
});
server.listen(process.argv.includes('--port') ? Number(process.argv[process.argv.indexOf('--port') + 1]) : 0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
