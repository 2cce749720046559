// Opens one WebSocket the way a page's own script would and reports, as a JSON string, everything the page can
// observe: a constructor exception, open (with the selected subprotocol and extensions), messages (sizes only),
// error, and close (code, reason, wasClean), each with its time since the constructor call. Every wait is bounded.
// Used by `check --browser` (evaluated by the driver, so the page's script-src does not apply to it, while its
// connect-src still governs the WebSocket) and by the `probe` page.
(url, protocols, observeMs, timeoutMs) => new Promise((resolve) => {
  const started = performance.now();
  const events = [];
  const at = () => Math.round((performance.now() - started) * 10) / 10;
  let socket = null;
  let done = false;
  const finish = (extra) => {
    if (done) return;
    done = true;
    resolve(JSON.stringify(Object.assign({
      events,
      origin: self.location.origin,
      secureContext: self.isSecureContext,
      userAgent: navigator.userAgent,
      readyState: socket ? socket.readyState : null,
      url: socket ? socket.url : url,
    }, extra || {})));
  };
  const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
  try {
    socket = protocols && protocols.length ? new WebSocket(url, protocols) : new WebSocket(url);
  } catch (e) {
    clearTimeout(timer);
    finish({ exception: { name: e && e.name ? String(e.name) : 'Error', message: e && e.message ? String(e.message) : String(e) } });
    return;
  }
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => {
    events.push({ type: 'open', t: at(), protocol: socket.protocol, extensions: socket.extensions });
    // Listen a moment for what the server sends unasked, then close normally as a page would.
    setTimeout(() => {
      if (socket.readyState === WebSocket.OPEN) {
        events.push({ type: 'closing', t: at(), code: 1000 });
        socket.close(1000, 'wsdoctor');
      }
    }, observeMs);
  };
  socket.onmessage = (m) => {
    if (events.filter((e) => e.type === 'message').length < 20) {
      const size = typeof m.data === 'string' ? m.data.length : m.data.byteLength;
      events.push({ type: 'message', t: at(), binary: typeof m.data !== 'string', size });
    }
  };
  socket.onerror = () => {
    events.push({ type: 'error', t: at() });
    // Chromium fires no close event after a CSP connect-src block (the socket goes straight to CLOSED).
    setTimeout(() => {
      if (socket.readyState === WebSocket.CLOSED) {
        clearTimeout(timer);
        finish({ noCloseEvent: true });
      }
    }, 1000);
  };
  socket.onclose = (c) => {
    events.push({ type: 'close', t: at(), code: c.code, reason: c.reason, wasClean: c.wasClean });
    clearTimeout(timer);
    finish();
  };
})
