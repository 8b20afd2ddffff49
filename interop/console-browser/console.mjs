// Drives the operator console in Debian's headless Chromium (playwright-core, no downloaded browser).
// Usage: node console.mjs BASE_URL INSTANCE_KEY ADMIN_KEY REVOKE_PREFIX SCREENSHOT_DIR
// Prints one JSON line per step; exits non-zero on the first failed check. ConsoleBrowserTest runs it.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, instanceKey, adminKey, revokePrefix, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'synap-console-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(15000);
const requests = [];
page.on('request', r => requests.push(r.url()));
let shot = 0;

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
}
function report(step, extra = {}) {
  console.log(JSON.stringify({ step, ...extra }));
}

// Accessibility on each page: language, one h1 and one main, every form control labelled, every
// link and button named, every chart titled; then the keyboard: Tab reaches the skip link first,
// which moves focus to the main content, and every focusable element in order, each visibly.
async function accessible(name) {
  const problems = await page.evaluate(() => {
    const out = [];
    if (!document.documentElement.lang) out.push('no lang');
    if (document.querySelectorAll('h1').length !== 1) out.push('h1 count ' + document.querySelectorAll('h1').length);
    if (document.querySelectorAll('main').length !== 1) out.push('main count');
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!labelled) out.push('unlabelled ' + el.outerHTML.slice(0, 80));
    }
    for (const el of document.querySelectorAll('a[href], button')) {
      if (!(el.textContent || '').trim() && !el.getAttribute('aria-label')) out.push('unnamed ' + el.outerHTML.slice(0, 80));
    }
    for (const svg of document.querySelectorAll('svg[role=img]')) if (!svg.querySelector('title')) out.push('chart without title');
    for (const t of document.querySelectorAll('table')) if (!t.querySelector('caption')) out.push('table without caption');
    return out;
  });
  check(problems.length === 0, name + ' accessibility: ' + problems.join('; '));
  const file = join(shots, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  // The keyboard walk starts on a freshly loaded page, as a keyboard user arriving would.
  await page.goto(page.url());
  // A radio group is one Tab stop (arrow keys move within it), so it counts once.
  const focusable = await page.evaluate(() => {
    const groups = new Set();
    return [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
      .filter(el => !el.disabled).filter(el => el.type !== 'radio' || (!groups.has(el.name) && groups.add(el.name))).length;
  });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.className + '|' + document.activeElement.textContent.trim());
  check(first.startsWith('skip|'), name + ': first Tab reaches the skip link, got ' + first);
  const limit = Math.min(focusable, 40);
  let reached = 1;
  for (let i = 1; i < limit; i++) {
    await page.keyboard.press('Tab');
    const visible = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    });
    if (visible) reached++;
  }
  check(reached === limit, `${name}: keyboard reached ${reached} of ${limit} focusable elements visibly`);
  await page.goto(page.url());
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const afterSkip = await page.evaluate(() => document.activeElement.id);
  check(afterSkip === 'main', name + ': the skip link moves focus to main, got ' + afterSkip);
  report('page', { name, accessible: true, focusable, screenshot: file });
}

async function signIn(key) {
  await page.goto(base + '/console');
  await page.getByLabel('Admin credential or instance API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  check(!page.url().includes(key), 'the key is not in the URL');
}

try {
  await page.goto(base + '/console');
  await accessible('sign-in');

  // A read-only view: an instance key sees its instance and no action.
  await signIn(instanceKey);
  check(page.url().includes('/console/instances/'), 'instance key lands on its instance, got ' + page.url());
  const instanceUrl = page.url().split('?')[0];
  check(await page.getByText('(read-only)').count() === 1, 'read-only view');
  check(await page.getByRole('button', { name: /Revoke|Rebuild/ }).count() === 0, 'no action for an instance key');
  await accessible('instance-read-only');

  // Find a user with the search form.
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Find a user by id').fill('ali');
  await page.keyboard.press('Enter');
  await page.waitForURL(/q=ali/);
  await accessible('users');
  await page.getByRole('link', { name: 'alice', exact: true }).click();
  await page.waitForLoadState();
  const userUrl = page.url();
  const paris = page.locator('tr', { hasText: 'Paris' }).first();
  check(await paris.count() === 1, 'a memory about Paris');
  check((await paris.innerText()).includes('current'), 'the Paris memory is current');
  await paris.locator('summary').click();
  check(await paris.locator('details li').count() >= 1, 'the Paris memory shows its history');
  check((await paris.locator('details').innerText()).includes('created'), 'history holds its creation');
  check(await page.getByRole('button', { name: /Delete/ }).count() === 0, 'no delete for an instance key');
  report('memory', { paris: (await paris.locator('td').first().innerText()).split('\n')[0] });
  await accessible('user-memories');

  // Supersede it through the API, then see the console show the change.
  const conversation = new URL(await paris.getByRole('link', { name: 'conversation' }).first().getAttribute('href'), base).pathname.split('/').pop();
  const r = await fetch(base + '/v1/conversations/messages', {
    method: 'POST', headers: { 'Authorization': 'Bearer ' + instanceKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ conversation_id: conversation, user_id: 'alice', role: 'user', content: 'I moved to Berlin last month.',
      timestamp: '2023-09-01T10:00:00Z', metadata: { speaker: 'Alice' } }),
  });
  check(r.status === 200, 'recorded the superseding message: ' + r.status);
  let superseded = false;
  for (let i = 0; i < 100 && !superseded; i++) {
    await page.goto(userUrl);
    const row = page.locator('tr', { hasText: 'Paris' }).first();
    superseded = (await row.innerText()).includes('superseded') && await page.locator('tr', { hasText: 'Berlin' }).count() > 0;
    if (!superseded) await page.waitForTimeout(200);
  }
  check(superseded, 'the console shows the Paris memory superseded and the Berlin one');
  const parisAfter = page.locator('tr', { hasText: 'Paris' }).first();
  await parisAfter.locator('summary').click();
  check((await parisAfter.locator('details').innerText()).includes('superseded'), 'history holds the supersession');
  report('superseded', { seen: true });
  await accessible('user-after-supersession');

  const conversationUrl = instanceUrl + '/conversations/' + conversation;
  await page.goto(conversationUrl);
  check(await page.locator('tr', { hasText: 'Berlin' }).count() >= 1, 'the conversation lists its messages');
  await accessible('conversation');
  await page.goto(instanceUrl);
  await page.getByRole('link', { name: 'Entities' }).click();
  await accessible('entities');
  await page.getByRole('link', { name: 'Live figures' }).click();
  check(await page.locator('svg[role=img]').count() >= 4, 'charts are drawn');
  await accessible('live-figures');
  await page.getByRole('link', { name: 'API reference' }).click();
  check(await page.getByText('/v1/context/{scope}/fetch').count() >= 1, 'the API reference lists the fetch route');
  await accessible('api-reference');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/why=signed-out/);
  await page.goto(userUrl);
  check(page.url().includes('why=signed-out'), 'signed out: pages need a new sign-in');

  if (adminKey) {
  // The admin credential: every instance, and the actions.
  await signIn(adminKey);
  check(page.url().endsWith('/console/instances'), 'admin lands on the instances page, got ' + page.url());
  await accessible('instances');
  await page.goto(conversationUrl);
  await page.getByRole('button', { name: 'Compact this conversation now' }).click();
  await page.waitForURL(/done=/);
  check(await page.getByText(/Compaction .* started/).count() === 1, 'compaction started');
  let compacted = false;
  for (let i = 0; i < 100 && !compacted; i++) {
    await page.reload();
    compacted = await page.locator('tr', { hasText: 'completed' }).count() > 0;
    if (!compacted) await page.waitForTimeout(200);
  }
  check(compacted, 'a completed compaction version is listed');
  await accessible('conversation-compacted');
  await page.goto(instanceUrl);
  await accessible('instance-admin');
  // The control-plane pages: a key created with one permission (its secret on the answer page only),
  // the memory configuration versions and the webhooks with their delivery log.
  await page.getByLabel('Label').fill('browser-reader');
  for (const p of ['memories:write', 'context:read', 'stream', 'telemetry:write', 'analytics:read', 'instances:read']) {
    await page.getByLabel(p, { exact: true }).uncheck();
  }
  await page.getByRole('button', { name: 'Create key' }).click();
  await page.waitForLoadState();
  check(await page.getByText('shown only once').count() === 1, 'the new key is shown once');
  check((await page.locator('#new-key').inputValue()).startsWith('sk_live_'), 'the new key is on the page');
  check(!page.url().includes('sk_live_'), 'the new key is not in the URL');
  check(await page.getByText('Permissions: memories:read').count() === 1, 'the new key has only memories:read');
  // (a POST's answer: the keyboard walk reloads its page, so only a screenshot here)
  await page.screenshot({ path: join(shots, `${String(++shot).padStart(2, '0')}-key-created.png`), fullPage: true });
  report('key-created', { permissions: ['memories:read'] });
  // The key just made is rotated: the successor is shown once, the old one's grace period with it and on the instance page.
  await page.goto(instanceUrl);
  const readerRow = page.locator('tr', { hasText: 'browser-reader' }).first();
  const readerPrefix = (await readerRow.locator('code').first().innerText()).replace('…', '');
  await readerRow.getByLabel(/Hours the old key/).fill('2');
  await readerRow.getByRole('button', { name: 'Rotate ' + readerPrefix }).click();
  await page.waitForLoadState();
  check(await page.getByText('shown only once').count() === 1, 'the rotated key is shown once');
  check((await page.locator('#new-key').inputValue()).startsWith('sk_live_'), 'the successor is on the page');
  check((await page.locator('#grace').innerText()).includes('2 hours'), 'the grace period is shown');
  await page.screenshot({ path: join(shots, `${String(++shot).padStart(2, '0')}-key-rotated.png`), fullPage: true });
  report('key-rotated', { prefix: readerPrefix });
  await page.goto(instanceUrl);
  check((await page.locator('tr', { hasText: readerPrefix }).first().innerText()).includes('active until'), 'the old key shows its grace period');

  // Memory configuration: a draft from a use-case brief, its review flags, validation and a dry run, then applied.
  await page.getByRole('link', { name: 'Memory configuration' }).click();
  await page.waitForLoadState();
  await accessible('memory-config');
  await page.getByLabel('Use-case brief (Markdown)').fill('# Objective\nRemember what travellers like.\n# Target users\nIndividual travellers.\n'
    + '# Task examples\n- She prefers window seats.\n- Last time we booked Lisbon.\n# Behavioural guidelines\nBe concise.\n'
    + '# Out of scope\nDo not discuss politics.\n');
  await page.getByRole('button', { name: 'Generate draft from brief' }).click();
  await page.waitForURL(/memory-config\/\d+\?done=/);
  const versionUrl = page.url().split('?')[0];
  check(await page.getByRole('table', { name: /Review flags of version/ }).count() === 1, 'the draft shows its review flags');
  check(await page.getByText('politics').count() >= 1, 'the out-of-scope topic is flagged');
  check(await page.getByText('Valid: it may be applied.').count() === 1, 'the draft validates');
  await accessible('memory-config-version');
  await page.getByLabel(/Last messages to extract again/).fill('10');
  await page.getByRole('button', { name: /^Dry run version/ }).click();
  await page.waitForURL(/dry-run\?messages=10/);
  check(await page.getByText('Nothing was stored.').count() === 1, 'the dry run stores nothing');
  check(await page.locator('tr', { hasText: 'Berlin' }).count() >= 1, 'the dry run shows the last messages');
  await accessible('memory-config-dry-run');
  await page.goto(versionUrl);
  await page.getByLabel(/^Graceful/).check();
  await page.getByRole('button', { name: /^Apply version/ }).click();
  await page.waitForURL(/memory-config\?done=/);
  check(await page.getByText(/is active \(graceful\)/).count() === 1, 'the draft is applied gracefully');
  report('config-applied', { version: versionUrl.split('/').pop() });
  await page.goto(instanceUrl);
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await page.waitForLoadState();
  await accessible('webhooks');

  // An instance made, archived and deleted from the console, the deletion confirmed by typing its id.
  await page.goto(base + '/console/instances');
  await page.getByLabel('Name').fill('short-lived');
  await page.getByRole('button', { name: 'Create instance' }).click();
  await page.waitForLoadState();
  const doomedUrl = page.url().split('?')[0];
  const doomed = doomedUrl.split('/').pop();
  await page.getByRole('button', { name: 'Archive instance' }).click();
  await page.waitForURL(/done=/);
  await page.getByRole('link', { name: 'Delete instance ' + doomed + '…' }).click();
  await page.waitForLoadState();
  await accessible('instance-delete');
  await page.getByLabel('Instance id').fill(doomed);
  await page.getByRole('button', { name: 'Delete instance for good' }).click();
  await page.waitForURL(/\/console\/instances\?done=/);
  check(await page.getByText('Instance ' + doomed + ' deleted.').count() === 1, 'deletion confirmed');
  check(await page.getByRole('link', { name: doomed }).count() === 0, 'the deleted instance is gone from the list');
  report('instance-deleted', { instance: doomed });

  // Revoke the SDK's key.
  await page.goto(instanceUrl);
  await page.getByRole('button', { name: 'Revoke ' + revokePrefix }).click();
  await page.waitForURL(/done=/);
  check(await page.getByText('Key ' + revokePrefix + ' revoked.').count() === 1, 'revocation confirmed');
  await page.screenshot({ path: join(shots, `${String(++shot).padStart(2, '0')}-revoked.png`), fullPage: true });
  report('revoked', { prefix: revokePrefix });
  }

  const outside = requests.filter(u => !u.startsWith(base));
  check(outside.length === 0, 'nothing is loaded from outside the server: ' + outside.join(', '));
  report('done', { admin: Boolean(adminKey), requests: requests.length });
} catch (e) {
  await page.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {});
  console.log(JSON.stringify({ step: 'failed', error: String(e && e.message || e), url: page.url() }));
  process.exitCode = 1;
} finally {
  await context.close();
}
