// A Node `ws` server for wsdoctor connect's interop tests. Prints its port as the first stdout line, then one
// JSON line per event it sees (connection with headers, message, ping, pong, close), so a test can assert what
// the server really received. Behaviour is driven by the text messages a client sends:
//   close:CODE:REASON   server closes with that code and reason
//   fragments:a,b,c     server sends one text message as three frames (fin=false on all but the last)
//   ping:DATA           server sends a ping with DATA
//   drop                server destroys the TCP connection without a Close frame
//   burst:N             server sends N text messages "m1".."mN"
//   binary:HEX          server sends those bytes as a binary message
//   broadcast:TEXT      server sends TEXT to every open connection
// anything else is echoed with its type.
// Options: --port N (0 = any), --cert PEM --key PEM (TLS), --redirect URL (answer every upgrade with 301),
//          --client-ca PEM (with --cert: require a client certificate issued by that CA; its CN is logged),
//          --no-upgrade (answer 200 text/html), --greet (send "welcome N" when connection N opens),
//          --drop-first-after MS (destroy the first connection MS after it opened, without a Close frame),
//          --refuse-next K (then destroy the next K upgrade requests, so reconnect attempts fail).
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const path = require('path');
const { WebSocketServer } = require(path.join(__dirname, '..', 'node_modules', 'ws'));

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const flag = (name) => args.includes(name);
const log = (event) => process.stdout.write(JSON.stringify(event) + '\n');

const tls = opt('--cert') !== undefined;
const server = tls
  ? https.createServer({
    cert: fs.readFileSync(opt('--cert')),
    key: fs.readFileSync(opt('--key')),
    ...(opt('--client-ca') ? { ca: fs.readFileSync(opt('--client-ca')), requestCert: true, rejectUnauthorized: true } : {}),
  })
  : http.createServer();

server.on('request', (req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<html>not a websocket endpoint</html>');
});

let refuseNext = Number(opt('--refuse-next', '0'));
let connections = 0;
const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: true,
  maxPayload: 64 * 1024 * 1024,
  handleProtocols: (protocols) => protocols.values().next().value ?? false,
});

server.on('upgrade', (req, socket, head) => {
  connections++;
  const peerCert = req.socket.getPeerCertificate ? req.socket.getPeerCertificate() : null;
  log({ event: 'upgrade', n: connections, url: req.url, headers: req.headers, clientCertificate: peerCert && peerCert.subject ? peerCert.subject.CN : null });
  if (opt('--redirect')) {
    socket.end(`HTTP/1.1 301 Moved Permanently\r\nLocation: ${opt('--redirect')}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    return;
  }
  if (flag('--no-upgrade')) {
    socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 6\r\nConnection: close\r\n\r\n<html>');
    return;
  }
  if (connections > 1 && refuseNext > 0) {
    refuseNext--;
    socket.destroy();
    return;
  }
  const n = connections;
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, n));
});

wss.on('connection', (ws, req, n) => {
  log({ event: 'open', n, protocol: ws.protocol, extensions: ws.extensions });
  if (flag('--greet')) {
    ws.send(`welcome ${n}`);
  }
  if (n === 1 && opt('--drop-first-after')) {
    setTimeout(() => ws._socket.destroy(), Number(opt('--drop-first-after')));
  }
  ws.on('ping', (data) => log({ event: 'ping', data: data.toString() }));
  ws.on('pong', (data) => log({ event: 'pong', data: data.toString() }));
  ws.on('close', (code, reason) => log({ event: 'close', code, reason: reason.toString() }));
  ws.on('message', (data, isBinary) => {
    log({ event: 'message', binary: isBinary, size: data.length, text: isBinary || data.length > 200 ? undefined : data.toString() });
    const text = isBinary ? '' : data.toString();
    let m;
    if ((m = /^close:(\d+):(.*)$/s.exec(text))) {
      ws.close(Number(m[1]), m[2]);
    } else if ((m = /^fragments:(.*)$/s.exec(text))) {
      const parts = m[1].split(',');
      parts.forEach((p, i) => ws.send(p, { fin: i === parts.length - 1, binary: false }));
    } else if ((m = /^ping:(.*)$/s.exec(text))) {
      ws.ping(m[1]);
    } else if (text === 'drop') {
      ws._socket.destroy();
    } else if ((m = /^broadcast:(.*)$/s.exec(text))) {
      wss.clients.forEach((client) => client.send(m[1]));
    } else if ((m = /^binary:([0-9a-f]*)$/i.exec(text))) {
      ws.send(Buffer.from(m[1], 'hex'), { binary: true });
    } else if ((m = /^burst:(\d+)$/.exec(text))) {
      for (let i = 1; i <= Number(m[1]); i++) ws.send(`m${i}`);
    } else {
      ws.send(data, { binary: isBinary });
    }
  });
});

server.listen(Number(opt('--port', '0')), opt('--host', '127.0.0.1'), () => {
  process.stdout.write(server.address().port + '\n');
});
