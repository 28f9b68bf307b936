// Drives the dashboard page in Debian's Chromium as a person would: the fleet, a filter, a monitor and its chart, an
// alert raised through the API appearing live, silencing its monitor and acknowledging it, the comparison and alert
// views, the notifications view and expiring the silence there, phone width, dark mode, the keyboard, and the service
// going away and coming back. The test on the other end of stdin/stdout stops
// and restarts the service when this script asks ("stop" / "stopped", "start" / "started"). Prints one JSON line of
// what it saw last; screenshots go to the folder given.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import path from 'node:path';

const [base, shots, modelId, criticalCount] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const ask = async (request, answer) => {
  console.log(JSON.stringify({ request }));
  const { value } = await lines.next();
  if (value?.trim() !== answer) throw new Error(`expected ${answer}, got ${value}`);
};

const result = { errors: [], offlineErrors: [], steps: {} };
let phase = 'online';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const gql = async (query, variables = {}) => {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json());
};
try {
  // A channel for press-1, made before its alert is raised, so that the alert's events become deliveries to it.
  const created = await gql(`mutation C($input: NotificationChannelInput!) { createNotificationChannel(input: $input) { id } }`,
    { input: { name: 'browser-test hook', kind: 'WEBHOOK', url: 'http://127.0.0.1:9/hook', machineIds: ['press-1'] } });
  const channelId = created.data?.createNotificationChannel?.id;
  if (!channelId) throw new Error(`no channel: ${JSON.stringify(created)}`);

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('dialog', dialog => dialog.accept(dialog.type() === 'prompt' ? 'seen in the browser test' : undefined));
  page.on('pageerror', e => (phase === 'online' ? result.errors : result.offlineErrors).push(`pageerror: ${e}`));
  page.on('console', m => { if (m.type() === 'error') (phase === 'online' ? result.errors : result.offlineErrors).push(`console: ${m.text()}`); });
  const fleetQueries = [];
  page.on('request', r => { if ((r.postData() ?? '').includes('query Fleet')) fleetQueries.push(Date.now()); });

  // The fleet.
  const started = Date.now();
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.locator('table.fleet tbody tr').first().waitFor({ timeout: 20000 });
  result.steps.firstRenderMs = Date.now() - started;
  result.steps.fleetRows = await page.locator('table.fleet tbody tr').count();
  result.steps.summaryMonitors = Number(await page.locator('.card .card-value').first().textContent());
  await page.locator('#connection', { hasText: 'Live' }).waitFor({ timeout: 20000 });
  await page.screenshot({ path: path.join(shots, 'fleet.png'), fullPage: true });

  // Filtered by health, then searched.
  await page.getByLabel('Health').selectOption('CRITICAL');
  await page.waitForFunction(n => [...document.querySelectorAll('table.fleet tbody tr')].length === n
    && [...document.querySelectorAll('table.fleet tbody .health')].every(b => b.textContent === 'CRITICAL'), Number(criticalCount), { timeout: 10000 });
  result.steps.criticalRows = await page.locator('table.fleet tbody tr').count();
  result.steps.urlAfterFilter = new URL(page.url()).hash;
  await page.getByLabel('Health').selectOption('');
  await page.getByLabel('Search').fill(modelId);
  await page.waitForFunction(id => { const rows = [...document.querySelectorAll('table.fleet tbody tr')]; return rows.length > 0 && rows.every(r => r.dataset.monitor.startsWith(id)); }, modelId, { timeout: 10000 });
  result.steps.searchedRows = await page.locator('table.fleet tbody tr').count();

  // A monitor, and its chart from real data.
  await page.locator(`table.fleet a[href="#/monitor/${modelId}/press-1"]`).click();
  await page.locator('.chart canvas').first().waitFor({ timeout: 15000 });
  result.steps.monitorHash = new URL(page.url()).hash;
  result.steps.chartPoints = Number(await page.locator('.chart').first().getAttribute('data-points'));
  result.steps.monitorTitle = await page.locator('h1').first().textContent();
  await page.screenshot({ path: path.join(shots, 'monitor.png'), fullPage: true });

  // A new evaluation moves the chart without a reload.
  const lastBefore = await page.locator('.chart').first().getAttribute('data-last');
  await gql(`mutation { recordEvaluation(input: { modelId: "${modelId}", machineId: "press-1", modelVersion: "v1", sampleCount: 100, metrics: { rmse: 50, mae: 40 } }) { id } }`);
  await page.waitForFunction(before => document.querySelector('.chart')?.dataset.last !== before, lastBefore, { timeout: 10000 });
  result.steps.chartMoved = { before: Number(lastBefore), after: Number(await page.locator('.chart').first().getAttribute('data-last')) };

  // An alert raised through the API appears without a reload; it is acknowledged from the page.
  const raisedAt = Date.now();
  const raised = await gql(`mutation { setBaseline(modelId: "${modelId}", machineId: "press-1", metrics: { rmse: 0.001 }) { health } }`);
  result.steps.raisedHealth = raised.data?.setBaseline?.health;
  const row = page.locator('table.alerts tr[data-status="OPEN"]').first();
  await row.waitFor({ timeout: 10000 });
  result.steps.alertShownMs = Date.now() - raisedAt;
  const alertId = await row.getAttribute('data-alert');
  await row.getByRole('button', { name: 'Silence 1 h' }).click();
  result.steps.silencedShown = await page.locator('.message-ok', { hasText: 'silenced until' }).first().textContent({ timeout: 10000 });
  const silences = (await gql('{ silences(active: true) { id modelId machineId comment } }')).data?.silences ?? [];
  const silence = silences.find(s => s.modelId === modelId && s.machineId === 'press-1');
  result.steps.silenceInApi = silence ?? null;
  await row.getByRole('button', { name: 'Acknowledge' }).click();
  await page.locator(`table.alerts tr[data-alert="${alertId}"][data-status="ACKNOWLEDGED"]`).waitFor({ timeout: 10000 });
  result.steps.acknowledgedInApi = (await gql(`{ alert(id: "${alertId}") { status } }`)).data?.alert?.status;
  await page.emulateMedia({ colorScheme: 'dark' });
  result.steps.darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.screenshot({ path: path.join(shots, 'monitor-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // A control the API refuses shows its answer: an A/B test of a version against itself.
  await page.locator('form.inline-form select[name="versionB"]').selectOption({ index: 0 });
  await page.locator('form.inline-form button[type="submit"]').click();
  await page.locator('.message-error', { hasText: 'BAD_USER_INPUT' }).first().waitFor({ timeout: 10000 });
  result.steps.refusalShown = await page.locator('.message-error').first().textContent();

  // Comparison and alerts views, by URL.
  await page.goto(`${base}/#/compare?modelId=${modelId}&metric=RMSE&days=30`);
  await page.waitForFunction(() => Number(document.querySelector('.chart')?.dataset.series) >= 2 && document.querySelector('.chart canvas'), null, { timeout: 15000 });
  result.steps.compareSeries = Number(await page.locator('.chart').getAttribute('data-series'));
  await page.screenshot({ path: path.join(shots, 'compare.png'), fullPage: true });
  await page.goto(`${base}/#/alerts?status=ACKNOWLEDGED`);
  await page.locator(`table.alerts tr[data-alert="${alertId}"]`).waitFor({ timeout: 10000 });
  await page.screenshot({ path: path.join(shots, 'alerts.png'), fullPage: true });

  // The notifications view: the channel, the alert's delivery to it by the channel's name, and the silence, expired there.
  await page.goto(`${base}/#/notifications`);
  const channelRow = page.locator(`tr[data-channel="${channelId}"]`);
  await channelRow.waitFor({ timeout: 10000 });
  result.steps.channelRow = await channelRow.textContent();
  result.steps.deliveryChannel = await page.locator('tr[data-delivery] td:nth-child(2)').first().textContent({ timeout: 10000 });
  const silenceRow = page.locator(`tr[data-silence="${silence?.id}"][data-active="true"]`);
  await silenceRow.waitFor({ timeout: 10000 });
  result.steps.silenceListed = true;
  await page.screenshot({ path: path.join(shots, 'notifications.png'), fullPage: true });
  await silenceRow.getByRole('button', { name: 'Expire' }).click();
  await page.locator(`tr[data-silence="${silence.id}"][data-active="false"]`).waitFor({ timeout: 10000 });
  result.steps.activeAfterExpire = ((await gql('{ silences(active: true) { id } }')).data?.silences ?? []).some(s => s.id === silence.id);

  // Phone width: nothing wider than the screen but the tables, which scroll in their own frame.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/#/`);
  await page.locator('table.fleet tbody tr').first().waitFor({ timeout: 10000 });
  result.steps.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: path.join(shots, 'fleet-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The keyboard reaches the navigation and the fleet's links.
  await page.locator('a.brand').focus();
  const focused = [];
  for (let i = 0; i < 13; i++) {
    await page.keyboard.press('Tab');
    focused.push(await page.evaluate(() => `${document.activeElement?.tagName}:${document.activeElement?.textContent?.trim().slice(0, 30)}`));
  }
  result.steps.focused = focused;

  // The service goes away: the page says so, and when it returns, it reconnects and reads the fleet again.
  phase = 'offline';
  await ask('stop', 'stopped');
  await page.locator('#offline').waitFor({ state: 'visible', timeout: 20000 });
  result.steps.offlineText = await page.locator('#connection').textContent();
  await page.screenshot({ path: path.join(shots, 'offline.png') });
  const queriesBefore = fleetQueries.length;
  await ask('start', 'started');
  const startedAgainAt = Date.now();
  await page.locator('#connection', { hasText: 'Live' }).waitFor({ timeout: 30000 });
  const liveAt = Date.now();
  await page.locator('#offline').waitFor({ state: 'hidden', timeout: 5000 });
  await page.waitForFunction(() => document.querySelector('table.fleet, .empty'), null, { timeout: 10000 });
  await page.waitForTimeout(500);
  phase = 'online';
  // Nothing queries the fleet while the socket is down: a query after the stop is the catch-up on reconnecting.
  result.steps.caughtUp = fleetQueries.length > queriesBefore;
  result.steps.liveAfterStartMs = liveAt - startedAgainAt;
  result.steps.afterRestartText = await page.locator('main').textContent();
} catch (e) {
  result.failure = String(e.stack ?? e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(0);
