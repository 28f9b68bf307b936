// The dashboard page in headless Chromium against a running service with a large fleet: the first render of the
// fleet view (fresh browser context each time), then, for the given seconds, click-to-effect latency of the fleet's
// pager while alerts stream in. Prints one JSON line.
import { chromium } from 'playwright-core';

const [base, renders = '10', seconds = '60'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { renderMs: [], loadMs: [], clickMs: [], longTasksMs: [], alertsSeen: 0, errors: [] };
try {
  for (let i = 0; i < Number(renders); i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${base}/`, { waitUntil: 'load' });
    result.loadMs.push(Date.now() - started);
    await page.locator('table.fleet tbody tr').first().waitFor({ timeout: 20000 });
    result.renderMs.push(Date.now() - started);
    await context.close();
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', e => result.errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') result.errors.push(m.text()); });
  await page.goto(`${base}/`);
  await page.locator('table.fleet tbody tr').first().waitFor({ timeout: 20000 });
  await page.locator('#connection', { hasText: 'Live' }).waitFor({ timeout: 20000 });
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver(list => { for (const e of list.getEntries()) window.longTasks.push(e.duration); }).observe({ entryTypes: ['longtask'] });
  });
  const end = Date.now() + Number(seconds) * 1000;
  let forward = true;
  while (Date.now() < end) {
    const ms = await page.evaluate(async name => {
      const pager = document.querySelector('.pager span');
      const before = pager.textContent;
      const button = [...document.querySelectorAll('.pager button')].find(b => b.textContent === name);
      const t0 = performance.now();
      button.click();
      await new Promise(resolve => {
        const check = () => (document.querySelector('.pager span')?.textContent !== before ? resolve() : requestAnimationFrame(check));
        check();
      });
      return performance.now() - t0;
    }, forward ? 'Next' : 'Previous');
    result.clickMs.push(ms);
    forward = !forward;
    await page.waitForTimeout(400);
  }
  result.longTasksMs = await page.evaluate(() => window.longTasks);
  result.alertsSeen = Number(await page.locator('#alert-badge').textContent() || 0);
} catch (e) {
  result.failure = String(e.stack ?? e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
