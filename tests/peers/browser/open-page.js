#!/usr/bin/env node
// Opens one page in Debian's headless Chromium (through playwright-core, never a downloaded browser), the way a
// user opens a link, and waits until the page says it is done: used by the `wsdoctor probe` tests.
//
// Usage:  node open-page.js URL SELECTOR TIMEOUT_MS [--xss]
// Prints: {"text": "<innerText of the page>", "console": ["…"]} once SELECTOR matches (or {"error": "…"}).
// --xss (the security tests): also opens every <details>, waits a second for onerror handlers, and adds
// "xss" (window.__xss, which the hostile server's payloads set if they ever run, or null) and "dialogs".
'use strict';

const path = require('path');
const { chromium } = require(path.join(__dirname, '..', 'node_modules', 'playwright-core'));

async function main() {
  const [url, selector, timeout, mode] = process.argv.slice(2);
  const dialogs = [];
  const browser = await chromium.launch({
    executablePath: process.env.WSDOCTOR_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 60000,
  });
  const consoleLines = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    await page.goto(url, { timeout: Number(timeout) });
    await page.waitForSelector(selector, { timeout: Number(timeout) });
    const extra = {};
    if (mode === '--xss') {
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await page.waitForTimeout(1000);
      extra.xss = await page.evaluate(() => (window.__xss === undefined ? null : window.__xss));
      extra.dialogs = dialogs;
    }
    process.stdout.write(JSON.stringify({ text: await page.innerText('body'), console: consoleLines, ...extra }) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: String(error), console: consoleLines }) + '\n');
  } finally {
    await browser.close();
  }
}

main().catch((error) => { process.stdout.write(JSON.stringify({ error: String(error) }) + '\n'); process.exit(1); });
