import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildExplorer } from '../../scripts/build-explorer';
import { projectRoot, type RunningServer } from '../../subgraphs/platform';
import { Stack } from '../support/stack';

/** Debian's chromium (apt-get install chromium; .ci/run does): playwright-core downloads no browser. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const ARTIFACTS = join(projectRoot(), 'test', 'artifacts');

const stack = new Stack();
let gateway: RunningServer;
let browser: Browser;
let dist: string;

beforeAll(async () => {
  if (!CHROMIUM) throw new Error('chromium not found: apt-get install chromium');
  dist = mkdtempSync(join(tmpdir(), 'c360-explorer-'));
  await buildExplorer(dist);
  await stack.start();
  gateway = await stack.startGateway({
    explorer: { enabled: true, tokens: [{ label: 'admin', headers: stack.adminHeaders }], distDir: dist },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await stack.stop();
});

describe('the explorer', () => {
  it('references no CDN in the HTML, JS or CSS it serves', async () => {
    const html = await (await fetch(gateway.url.replace('/graphql', '/explorer'))).text();
    const served = [
      html,
      ...readdirSync(dist)
        .filter((f) => /\.(js|css)$/.test(f))
        .map((f) => readFileSync(join(dist, f), 'utf8')),
    ];
    for (const text of served) expect(text).not.toMatch(/unpkg\.com|esm\.sh|jsdelivr|cdnjs|googleapis|embeddable-sandbox|apollographql\.com|cdn\./);
    expect(html).toContain('/explorer/assets/app.js');
    // A browser asking /graphql for HTML gets the explorer too; a program asking for JSON does not.
    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('c360-explorer-config');
  });

  it('runs a query offline and opens the documentation of Customer, in a real browser', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const leftTheMachine: string[] = [];
    // Offline: anything but this machine is refused, and noted.
    await page.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
      leftTheMachine.push(route.request().url());
      return route.abort();
    });
    await page.goto(gateway.url.replace('/graphql', '/explorer'));
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    // The second example tab: a page of customers with balances, headers prefilled with the offered token.
    await page.getByRole('tab', { name: /CustomersWithBalances/ }).click();
    // Run only once the editor shows that tab's operation: on a busy machine a click right after the tab's
    // would run the tab before it, whose answer has no totalCount.
    await page.getByRole('tab', { name: /CustomersWithBalances/, selected: true }).waitFor({ timeout: 10_000 });
    await page.waitForFunction(`document.querySelector('.graphiql-query-editor')?.textContent?.includes('CustomersWithBalances')`, undefined, {
      timeout: 10_000,
    });
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').getByText('totalCount').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /Documentation Explorer/ }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().click();
    await page.locator('.graphiql-doc-explorer').getByText('Customer', { exact: true }).first().click();
    await page.locator('.graphiql-doc-explorer-title').getByText('Customer', { exact: true }).waitFor({ timeout: 10_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'explorer.png'), fullPage: true });
    expect(await page.locator('.graphiql-doc-explorer-title').innerText()).toBe('Customer');
    expect(leftTheMachine).toEqual([]);
    await context.close();
  }, 90_000);
});
