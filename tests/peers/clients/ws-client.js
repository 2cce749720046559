#!/usr/bin/env node
// Node `ws` client driven by a JSON scenario (argv[2]); prints what it observed as JSON lines on stdout, so the
// C# interop tests assert on the peer's own view. Every wait is bounded; the process always exits.
//
// Scenario: {"url", "ca"?, "headers"?, "origin"?, "protocols"?, "perMessageDeflate"?, "timeoutMs"?, "steps": [...]}
// Steps:    {"op":"send", "text"?: "...", "binary"?: bytes, "textBytes"?: bytes, "rawTextHex"?|"rawBinaryHex"?: "..", "fragments"?: n}
//           {"op":"receive", "count": n}          next n messages (queued while other steps ran)
//           {"op":"ping", "payload": "..."}        waits for the matching pong
//           {"op":"close", "code"?, "reason"?}     waits for the server's close frame
//           {"op":"waitClose"}                     waits until the server closes
//           {"op":"hold"}                          stays connected until stdin ends (the test disposes us)
//           {"op":"waitInput"}                     waits for one line on stdin (a start signal from the test)
//           {"op":"pauseReading"} / {"op":"resumeReading"}  stop / restart reading the socket (a slow consumer)
//           {"op":"sendAwaitReply", "count": n, "binary": bytes}  n times: send a binary message, wait for one back
//           {"op":"replyEach", "count": n}         n times: wait for a message, answer it with the text "ack <i>"
//           {"op":"waitPings", "count": n}         waits until the server has pinged us n times (ws answers each)
//           "text" may come with "repeat": n (the text n times: a highly compressible message)
// Lines:    open, unexpected-response, sent, message, pong, close, error, done, timeout.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const WebSocket = require(path.join(__dirname, '..', 'node_modules', 'ws'));

const scenario = JSON.parse(process.argv[2]);
const stepTimeoutMs = scenario.timeoutMs ?? 20000;

const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
const sha256 = (buffer) => crypto.createHash('sha256').update(buffer).digest('hex');

// Deterministic, incompressible-enough payload: a hash chain, so sender and echo can be compared by hash.
function payload(size, seed) {
  const out = Buffer.alloc(size);
  let block = crypto.createHash('sha256').update(String(seed)).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset, 0, Math.min(block.length, size - offset));
    block = crypto.createHash('sha256').update(block).digest();
  }
  return out;
}

function describe(data, isBinary) {
  const buffer = Buffer.isBuffer(data) ? data : Buffer.concat(data);
  const fields = { kind: isBinary ? 'binary' : 'text', length: buffer.length, sha256: sha256(buffer) };
  if (!isBinary && buffer.length <= 512) fields.text = buffer.toString('utf8');
  return fields;
}

const options = { handshakeTimeout: stepTimeoutMs, maxPayload: 0 };
if (scenario.ca) options.ca = fs.readFileSync(scenario.ca);
if (scenario.headers) options.headers = scenario.headers;
if (scenario.origin) options.origin = scenario.origin;
if (scenario.perMessageDeflate !== undefined) options.perMessageDeflate = scenario.perMessageDeflate;

const ws = new WebSocket(scenario.url, scenario.protocols ?? [], options);
const inbox = [];
const stdinLines = require('readline').createInterface({ input: process.stdin });
const waiters = [];
let closed = null;
let pings = 0;

function wake() {
  for (const waiter of waiters.splice(0)) waiter();
}

function until(predicate, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout after ${stepTimeoutMs} ms waiting for ${what}`)), stepTimeoutMs);
    const check = () => {
      if (predicate()) {
        clearTimeout(timer);
        resolve();
      } else if (closed && what !== 'close') {
        clearTimeout(timer);
        reject(new Error(`connection closed (${closed.code}) while waiting for ${what}`));
      } else {
        waiters.push(check);
      }
    };
    check();
  });
}

ws.on('unexpected-response', (request, response) => {
  emit('unexpected-response', { status: response.statusCode, headers: response.headers });
  response.resume();
  request.destroy();
  finish(0);
});
ws.on('upgrade', (response) => emit('upgrade', { status: response.statusCode, headers: response.headers }));
ws.on('message', (data, isBinary) => {
  inbox.push(describe(data, isBinary));
  wake();
});
ws.on('ping', () => {
  pings++;
  wake();
});
ws.on('pong', (data) => {
  inbox.push({ pong: data.toString('utf8') });
  wake();
});
ws.on('close', (code, reason) => {
  closed = { code, reason: reason.toString('utf8') };
  emit('close', closed);
  wake();
});
ws.on('error', (error) => {
  emit('error', { message: error.message });
  if (ws.readyState !== WebSocket.OPEN) finish(0);
});

function send(step) {
  let data;
  let binary = false;
  if (step.text !== undefined) data = Buffer.from(step.text.repeat(step.repeat ?? 1), 'utf8');
  else if (step.binary !== undefined) { data = payload(step.binary, step.seed ?? 1); binary = true; }
  else if (step.textBytes !== undefined) data = Buffer.from(payload(Math.ceil(step.textBytes / 2), step.seed ?? 1).toString('hex').slice(0, step.textBytes));
  else if (step.rawBinaryHex !== undefined) { data = Buffer.from(step.rawBinaryHex, 'hex'); binary = true; }
  else if (step.rawTextHex !== undefined) data = Buffer.from(step.rawTextHex, 'hex'); // sent as a text frame as-is: ws does not validate outgoing text
  else throw new Error('send step needs text, binary, textBytes or rawTextHex');

  const fragments = Math.max(1, Math.min(step.fragments ?? 1, Math.max(1, data.length)));
  const size = Math.ceil(data.length / fragments);
  return new Promise((resolve, reject) => {
    let pending = 0;
    const done = (error) => {
      if (error) reject(error);
      else if (--pending === 0) resolve();
    };
    for (let i = 0; i < fragments; i++) {
      const chunk = data.subarray(i * size, Math.min(data.length, (i + 1) * size));
      pending++;
      ws.send(chunk, { binary, fin: i === fragments - 1, compress: step.compress ?? true }, done);
    }
    emit('sent', { kind: binary ? 'binary' : 'text', length: data.length, sha256: sha256(data), fragments });
  });
}

async function run(step) {
  switch (step.op) {
    case 'send':
      return send(step);
    case 'receive':
      for (let i = 0; i < (step.count ?? 1); i++) {
        await until(() => inbox.some((m) => m.kind), 'a message');
        const index = inbox.findIndex((m) => m.kind);
        emit('message', inbox.splice(index, 1)[0]);
      }
      return;
    case 'ping':
      ws.ping(Buffer.from(step.payload ?? '', 'utf8'));
      await until(() => inbox.some((m) => m.pong !== undefined), 'a pong');
      emit('pong', { payload: inbox.splice(inbox.findIndex((m) => m.pong !== undefined), 1)[0].pong });
      return;
    case 'close':
      ws.close(step.code, step.reason);
      return until(() => closed, 'close');
    case 'waitClose':
      return until(() => closed, 'close');
    case 'sendAwaitReply':
      for (let i = 0; i < step.count; i++) {
        await send({ binary: step.binary, seed: i });
        await run({ op: 'receive', count: 1 });
      }
      return;
    case 'replyEach':
      for (let i = 1; i <= step.count; i++) {
        await run({ op: 'receive', count: 1 });
        await send({ text: `ack ${i}` });
      }
      return;
    case 'pauseReading':
      ws._socket.pause();
      return;
    case 'resumeReading':
      ws._socket.resume();
      return;
    case 'waitPings':
      await until(() => pings >= step.count, `${step.count} pings`);
      emit('pings', { count: pings });
      return;
    case 'waitInput':
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no start signal on stdin')), stepTimeoutMs * 3);
        stdinLines.once('line', () => { clearTimeout(timer); resolve(); });
      });
    case 'hold':
      return new Promise((resolve) => stdinLines.once('close', resolve));
    default:
      throw new Error(`unknown step ${step.op}`);
  }
}

let finished = false;
function finish(code) {
  if (finished) return;
  finished = true;
  emit('done');
  const exit = () => process.stdout.write('', () => process.exit(code));
  if (ws.readyState !== WebSocket.OPEN) return exit();
  // Leave politely (a 1000 close handshake), but never wait long for it.
  ws.once('close', exit);
  setTimeout(exit, 2000);
  ws.close(1000, 'scenario done');
}

ws.on('open', async () => {
  emit('open', { protocol: ws.protocol, extensions: ws.extensions });
  try {
    for (const step of scenario.steps ?? []) await run(step);
    finish(0);
  } catch (error) {
    emit('timeout', { message: error.message });
    finish(1);
  }
});

setTimeout(() => {
  emit('timeout', { message: 'scenario did not finish in time' });
  finish(1);
}, scenario.overallTimeoutMs ?? 120000).unref();
