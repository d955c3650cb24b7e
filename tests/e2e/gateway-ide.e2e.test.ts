import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium } from 'playwright-core';
import { startStack, Stack } from '../support/stack';
import { must } from '../support/shop';
import { userWithRole } from '../support/users';

/** Debian's Chromium; nothing here may download a browser. */
const CHROMIUM = '/usr/bin/chromium';
/** Flags that keep Chromium from reaching for the network on its own (updates, sync, Google services). */
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const SCREENSHOT = join(tmpdir(), 'shop-gateway-ide.png');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

jest.setTimeout(120_000);

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
/** Every address off this machine that the page tried to reach (blocked). */
const external = new Set<string>();
const names = [`IDE lamp ${Date.now()}`, `IDE chair ${Date.now()}`];

function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return !/^(https?|wss?):$/.test(protocol) || LOCAL_HOSTS.has(hostname);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The IDE test drives Debian's Chromium at ${CHROMIUM}, which is not installed: run \`apt-get update && apt-get install -y chromium\` (.ci/run does this before npm test)`);
  }
  stack = await startStack(['accounts', 'catalog']);
  const admin = await userWithRole(stack, 'ADMIN');
  for (const name of names) {
    await must(stack, 'mutation($i: ProductInput!) { createProduct(input: $i) { id } }', {
      i: { name, description: 'Shown in the IDE test', price: 1000, currency: 'EUR' },
    }, admin.token);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  context = await browser.newContext();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    external.add(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => { if (!isLocal(request.url())) external.add(request.url()); });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the GraphQL IDE in a browser', () => {
  it('renders GraphiQL with no internet and runs a query against the gateway', async () => {
    const page = await context.newPage();
    page.on('websocket', (ws) => { if (!isLocal(ws.url())) external.add(ws.url()); });
    const failedResponses: string[] = [];
    page.on('response', (res) => { if (res.status() >= 400) failedResponses.push(`${res.status()} ${res.url()}`); });

    const html = await page.goto(stack.gatewayUrl);
    expect(html?.headers()['content-type']).toMatch(/^text\/html/);
    const editor = page.locator('.graphiql-query-editor .monaco-editor');
    await editor.waitFor({ state: 'visible' });
    await expect(page.title()).resolves.toBe('Shop GraphQL');

    // Replace the default query; insertText skips key events, so the editor adds no closing brackets of its own.
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('query IdeCheck { products(first: 2) { edges { node { name } } } }');
    // GraphiQL parses the editor after a pause: the tab takes the operation's name once it has (else it runs the old name).
    await page.locator('.graphiql-tabs').getByText('IdeCheck', { exact: true }).waitFor();
    await page.locator('.graphiql-execute-button').click();

    const result = page.locator('.graphiql-response');
    for (const name of names) await result.getByText(name).first().waitFor();
    const text = (await result.innerText()).replace(/\u00a0/g, ' ');
    expect(text).toContain('"products"');
    expect(text).not.toContain('"errors"');
    await page.screenshot({ path: SCREENSHOT });

    expect(failedResponses).toEqual([]);
    expect([...external]).toEqual([]);
  });
});
