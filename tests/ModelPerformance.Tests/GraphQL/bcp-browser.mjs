// Drives Banana Cake Pop at the service's endpoint in Debian's Chromium, as a person would: opens a document
// (the IDE loads the schema), runs a subscription, records an evaluation over HTTP, and reads the event the
// IDE shows. Prints what it saw as JSON; with a second argument it saves a screenshot there.
import { chromium } from 'playwright-core';

const [url, screenshot] = process.argv.slice(2);
const modelId = `bcp-${Date.now()}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const result = { errors: [], requests: [], sockets: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', e => result.errors.push(String(e)));
  page.on('request', r => result.requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  page.on('websocket', ws => result.sockets.push(new URL(ws.url()).pathname));
  const introspected = page.waitForResponse(
    r => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('__schema'), { timeout: 45000 })
    .then(r => r.status()).catch(() => null);
  await page.goto(url, { waitUntil: 'load' });
  await page.getByText('Create Document', { exact: true }).click({ timeout: 30000 });
  result.introspectionStatus = await introspected;
  await page.getByText('Schema available').waitFor({ timeout: 30000 });
  result.schemaAvailable = true;

  await page.locator('.monaco-editor').first().click();
  await page.keyboard.type(`subscription { evaluationRecorded(modelId: "${modelId}", machineId: "kiln-1") { modelId metrics { rmse } } }`);
  // The IDE takes the editor's text after a short debounce.
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: /^Run Operation/ }).click();
  await page.waitForTimeout(2000);
  const mutation = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `mutation { recordEvaluation(input: { modelId: "${modelId}", machineId: "kiln-1", metrics: { rmse: 4.25 } }) { id } }` }),
  });
  result.mutationStatus = mutation.status;
  await page.getByText('4.25').first().waitFor({ timeout: 30000 }).then(() => { result.eventShown = true; }).catch(() => { result.eventShown = false; });
  result.title = await page.title();
  if (screenshot) await page.screenshot({ path: screenshot });
} catch (e) {
  result.failure = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
