#!/usr/bin/env node
// Opens one page in Debian's headless Chromium (through playwright-core, never a downloaded browser), the way a
// user opens a link, and waits until the page says it is done: used by the `wsdoctor probe` tests.
//
// Usage:  node open-page.js URL SELECTOR TIMEOUT_MS
// Prints: {"text": "<innerText of the page>", "console": ["…"]} once SELECTOR matches (or {"error": "…"}).
'use strict';

const path = require('path');
const { chromium } = require(path.join(__dirname, '..', 'node_modules', 'playwright-core'));

async function main() {
  const [url, selector, timeout] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.WSDOCTOR_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 60000,
  });
  const consoleLines = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    await page.goto(url, { timeout: Number(timeout) });
    await page.waitForSelector(selector, { timeout: Number(timeout) });
    process.stdout.write(JSON.stringify({ text: await page.innerText('body'), console: consoleLines }) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: String(error), console: consoleLines }) + '\n');
  } finally {
    await browser.close();
  }
}

main().catch((error) => { process.stdout.write(JSON.stringify({ error: String(error) }) + '\n'); process.exit(1); });
