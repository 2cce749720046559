#!/usr/bin/env node
// Drives Debian's headless Chromium (through playwright-core, never a downloaded browser) for the interop tests.
// One driver process = one browser, reused by every test of a class. It also serves a blank page on
// 127.0.0.1:0, a cross-origin page for any server under test (and /sandboxed, an opaque-origin one).
//
// Start:   node chromium-driver.js          (HOME decides the NSS database Chromium trusts: $HOME/.pki/nssdb)
// Prints:  {"event":"ready","origin":"http://127.0.0.1:P","version":"…"}
// Stdin:   one JSON command per line: {"id", "url", "protocols"?, "pageUrl"?, "send"?: [{"text", "repeat"?}|{"binary": n}],
//          "receive"?: n, "close"?: {"code","reason"}, "timeoutMs"?}
// Stdout:  one JSON line per command: {"id", "events": [open/message/error/close…], "console": ["…"]}
'use strict';

const http = require('http');
const path = require('path');
const readline = require('readline');
const { chromium } = require(path.join(__dirname, '..', 'node_modules', 'playwright-core'));

const emit = (object) => process.stdout.write(JSON.stringify(object) + '\n');

// Runs inside the page. Everything the test later asserts on is what this WebSocket object reported.
async function inPage({ url, protocols, send, receive, close, timeoutMs }) {
  const events = [];
  const hex = async (buffer) => Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', buffer)))
    .map((b) => b.toString(16).padStart(2, '0')).join('');
  const random = (size) => {
    const bytes = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += 65536) crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
    return bytes;
  };
  return await new Promise((resolve) => {
    let received = 0;
    let settled = false;
    const pending = [];
    const done = () => {
      if (settled) return;
      settled = true;
      Promise.all(pending).then(() => resolve(events));
    };
    const timer = setTimeout(() => { events.push({ event: 'timeout' }); done(); }, timeoutMs);
    let ws;
    try {
      ws = new WebSocket(url, protocols ?? []);
    } catch (error) {
      events.push({ event: 'exception', message: String(error) });
      clearTimeout(timer);
      done();
      return;
    }
    ws.binaryType = 'arraybuffer';
    const finishIfDone = () => {
      if (received >= (receive ?? 0)) {
        if (close) ws.close(close.code, close.reason);
        else if (receive !== undefined) { clearTimeout(timer); done(); }
      }
    };
    ws.onopen = async () => {
      events.push({ event: 'open', protocol: ws.protocol, extensions: ws.extensions });
      for (const item of send ?? []) {
        const data = item.binary !== undefined ? random(item.binary) : item.text.repeat(item.repeat ?? 1);
        const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
        events.push({ event: 'sent', kind: typeof data === 'string' ? 'text' : 'binary', length: bytes.length, sha256: await hex(bytes) });
        ws.send(data);
      }
      finishIfDone();
    };
    ws.onmessage = (message) => {
      received++;
      const isText = typeof message.data === 'string';
      const bytes = isText ? new TextEncoder().encode(message.data) : message.data;
      const entry = { event: 'message', kind: isText ? 'text' : 'binary', length: bytes.byteLength };
      if (isText && bytes.byteLength <= 512) entry.text = message.data;
      events.push(entry);
      pending.push(hex(bytes).then((h) => { entry.sha256 = h; }));
      finishIfDone();
    };
    ws.onerror = () => events.push({ event: 'error' });
    ws.onclose = (e) => {
      events.push({ event: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
      clearTimeout(timer);
      done();
    };
  });
}

async function main() {
  const page = http.createServer((request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    // /sandboxed has an opaque origin (its WebSockets send "Origin: null") while still being a loopback page;
    // a data: URL would be opaque too, but Chromium's local-network-access checks block it from loopback.
    if (request.url === '/sandboxed') response.setHeader('content-security-policy', 'sandbox allow-scripts');
    response.end('<!doctype html><title>wsdoctor interop</title><p>cross-origin page</p>');
  });
  await new Promise((resolve) => page.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${page.address().port}`;

  const browser = await chromium.launch({
    executablePath: process.env.WSDOCTOR_CHROMIUM ?? '/usr/bin/chromium',
    // No --ignore-certificate-errors: TLS trust comes from the NSS database in $HOME, like for a user.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    env: process.env,
    timeout: 60000,
  });
  emit({ event: 'ready', origin, version: browser.version() });

  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const command = JSON.parse(line);
    const context = await browser.newContext();
    const tab = await context.newPage();
    const console = [];
    tab.on('console', (message) => console.push(message.text()));
    try {
      await tab.goto(command.pageUrl ?? `${origin}/`, { timeout: 30000 });
      const events = await tab.evaluate(inPage, { ...command, timeoutMs: command.timeoutMs ?? 20000 });
      // Chromium's network errors reach the console a moment after the close event: await that message (bounded).
      if (events.some((e) => e.event === 'error') && console.length === 0) {
        await tab.waitForEvent('console', { timeout: 5000 }).catch(() => {});
      }
      // The document's own origin ("null" when sandboxed), which is what its WebSocket sends as Origin.
      const pageOrigin = await tab.evaluate(() => self.origin);
      emit({ id: command.id, pageOrigin, events, console });
    } catch (error) {
      emit({ id: command.id, failure: String(error.message ?? error).split('\n')[0], console });
    } finally {
      await context.close();
    }
  }
  await browser.close();
  page.close();
}

main().catch((error) => {
  emit({ event: 'failure', message: String(error.message ?? error) });
  process.exit(1);
});
