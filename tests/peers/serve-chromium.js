// Opens a WebSocket from a real Chromium page (playwright-core, system /usr/bin/chromium) for the wsdoctor serve
// tests. Usage: node serve-chromium.js PAGE_URL WS_URL [SUBPROTOCOL...]
// The page is loaded from PAGE_URL first, so the handshake carries that page's Origin, as in a real app.
// Prints one JSON line: {"protocol": ..., "echo": ...} or {"error": ...}. Every step is bounded.
const { chromium } = require('playwright-core');

(async () => {
  const [pageUrl, wsUrl, ...protocols] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.WSDOCTOR_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
    timeout: 60000,
  });
  try {
    const page = await browser.newPage();
    await page.goto(pageUrl, { timeout: 30000 });
    const result = await page.evaluate(({ wsUrl, protocols }) => new Promise(resolve => {
      const ws = new WebSocket(wsUrl, protocols);
      const timer = setTimeout(() => resolve({ error: 'timeout' }), 20000);
      const done = value => { clearTimeout(timer); resolve(value); };
      ws.onopen = () => ws.send('from chromium');
      ws.onmessage = e => { done({ protocol: ws.protocol, echo: e.data }); ws.close(1000); };
      ws.onerror = () => done({ error: 'error event' });
      ws.onclose = e => done({ error: `closed ${e.code}` });
    }), { wsUrl, protocols });
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
})().catch(e => {
  console.log(JSON.stringify({ error: String(e) }));
  process.exit(1);
});
