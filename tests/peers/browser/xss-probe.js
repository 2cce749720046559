#!/usr/bin/env node
// Opens one page in Debian's headless Chromium (playwright-core, never a downloaded browser) and reports whether any
// script that a hostile server smuggled into it ran: the hostile payloads set window.__xss or open a dialog.
// Usage:  node xss-probe.js URL WAIT_FOR_TEXT TIMEOUT_MS      (WAIT_FOR_TEXT: text whose appearance means "done";
//         "-" to just wait for the load event plus one second)
// Prints: {"xss": null|N, "dialogs": [...], "text": "<innerText>", "console": [...]} or {"error": ...}.
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', 'node_modules', 'playwright-core'));

async function main() {
  const [url, waitFor, timeout] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.WSDOCTOR_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 60000,
  });
  const consoleLines = [];
  const dialogs = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    await page.goto(url, { timeout: Number(timeout) });
    if (waitFor !== '-') {
      await page.getByText(waitFor, { exact: false }).first().waitFor({ timeout: Number(timeout) });
    }
    // Open every <details> (conform's report folds each case), so that what they hold is rendered, loaded and shown.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    // An onerror handler runs once the broken image fails to load: give it time.
    await page.waitForTimeout(1000);
    const xss = await page.evaluate(() => (window.__xss === undefined ? null : window.__xss));
    process.stdout.write(JSON.stringify({ xss, dialogs, text: await page.innerText('body'), console: consoleLines }) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: String(error), console: consoleLines }) + '\n');
  } finally {
    await browser.close();
  }
}

main().catch((error) => { process.stdout.write(JSON.stringify({ error: String(error) }) + '\n'); process.exit(1); });
