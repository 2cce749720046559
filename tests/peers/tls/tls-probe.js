#!/usr/bin/env node
// The Node.js oracle for wsdoctor's per-client TLS table: one TLS connection with Node's own verifier (OpenSSL
// path building + tls.checkServerIdentity), exactly as ws and undici use it.
// Usage: node tls-probe.js HOST PORT CAFILE [SERVERNAME]   (HOST may be an IP; SERVERNAME defaults to HOST)
// Prints one JSON line: {"ok":true} or {"ok":false,"code":"…","message":"…"}; exits 0 either way.
'use strict';
const fs = require('fs');
const net = require('net');
const tls = require('tls');

const [host, port, caFile, servername] = process.argv.slice(2);
const name = servername || host;
const options = { host, port: Number(port), ca: fs.readFileSync(caFile), timeout: 5000 };
// SNI is only sent for names; for an IP literal checkServerIdentity compares against the IP SANs.
if (!net.isIP(name)) options.servername = name;
options.checkServerIdentity = (_, cert) => tls.checkServerIdentity(name, cert);
const socket = tls.connect(options, () => {
  console.log(JSON.stringify({ ok: true }));
  socket.end();
});
socket.on('error', (e) => { console.log(JSON.stringify({ ok: false, code: e.code || '', message: e.message })); });
socket.on('timeout', () => { console.log(JSON.stringify({ ok: false, code: 'TIMEOUT', message: 'no handshake in 5 s' })); socket.destroy(); });
