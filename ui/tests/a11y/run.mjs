// Every screen, at phone (360x640) and laptop (1366x768) size, checked with axe-core in Debian's
// Chromium: zero violations allowed. Also takes the README's screenshots. Serves the built ui/dist
// with a mocked Tauri bridge (mock-tauri.js). Also checks that every fixture child's names, and a name
// in every script of assets/fonts/scripts.json, are drawn entirely with the app's bundled fonts (no
// empty boxes, no system font standing in). Run: npm run build && npm run a11y
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const dist = here('../../dist');
const shots = here('../../../docs/screenshots');
const fixtures = await readFile(here('../fixtures/demo.json'), 'utf8');
const mock = await readFile(here('./mock-tauri.js'), 'utf8');
const scripts = JSON.parse(await readFile(here('../../../assets/fonts/scripts.json'), 'utf8')).scripts;
const axeSource = await readFile(fileURLToPath(import.meta.resolve('axe-core/axe.min.js')), 'utf8');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = normalize(join(dist, url.pathname === '/' ? 'index.html' : url.pathname));
  if (!path.startsWith(dist)) return res.writeHead(403).end();
  try {
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const sizes = { phone: { width: 360, height: 640 }, laptop: { width: 1366, height: 768 } };
const failures = [];
const results = [];

async function check(page, name, size, shot) {
  await page.waitForTimeout(150);
  await page.addScriptTag({ content: axeSource });
  const r = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }),
  );
  const v = r.violations;
  results.push(`${v.length === 0 ? 'ok  ' : 'FAIL'} ${name} @ ${size} (${r.passes.length} rules passed)`);
  for (const x of v) failures.push(`${name} @ ${size}: ${x.id} (${x.impact}) ${x.help}\n    ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
  // A page wider than the screen means sideways scrolling on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) failures.push(`${name} @ ${size}: page is ${overflow}px wider than the screen`);
  if (shot) {
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: join(shots, `${shot}-${size}.png`), fullPage: false });
  }
}

// Tabs (or Shift+Tabs) until the focused element matches the selector: proves it can be reached
// by keyboard alone. Throws when it cannot be reached within the limit.
async function tabTo(page, selector, { back = false, limit = 300 } = {}) {
  for (let i = 0; i <= limit; i++) {
    if (await page.evaluate((s) => !!document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`not reachable by keyboard: ${selector} (${limit} presses of ${back ? 'Shift+Tab' : 'Tab'})`);
}

async function open(size, scenario) {
  const context = await browser.newContext({ viewport: sizes[size], reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.addInitScript({ content: `window.__GP_FIXTURES__ = ${fixtures};\n${mock}` });
  page.on('pageerror', (e) => failures.push(`${scenario} @ ${size}: page error ${e.message}`));
  await page.goto(`${base}?scenario=${scenario}`);
  return { page, context };
}

for (const size of Object.keys(sizes)) {
  // Set-up: details, the error summary, the recovery key, staff.
  {
    const { page, context } = await open(size, 'setup');
    await page.getByRole('heading', { name: 'Set up Grab Pack for your home' }).waitFor();
    await check(page, 'setup', size);
    await page.getByRole('button', { name: 'Create the store' }).click();
    await page.locator('.error-summary').waitFor();
    await check(page, 'setup with errors', size);
    await page.getByLabel('Name of the home').fill('Maple House (fictional)');
    await page.getByLabel('Your name (the first manager)').fill('Demo Manager (fictional)');
    await page.getByLabel('Your PIN', { exact: true }).fill('246810');
    await page.getByLabel('Your PIN again').fill('246810');
    await page.getByRole('button', { name: 'Create the store' }).click();
    await page.getByTestId('recovery-key').waitFor();
    await check(page, 'recovery key', size);
    await page.getByLabel(/I have printed/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Add staff' }).waitFor();
    await check(page, 'add staff', size);
    await context.close();
  }
  // Unlock, a wrong PIN, too many attempts.
  {
    const { page, context } = await open(size, 'unlock');
    await page.getByRole('heading', { name: 'Unlock Grab Pack' }).waitFor();
    await check(page, 'unlock', size, 'unlock');
    await page.getByLabel('Sam Okafor (fictional)').check();
    await page.getByLabel('PIN', { exact: true }).fill('0000');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.locator('.error-summary').waitFor();
    await check(page, 'unlock wrong PIN', size);
    await page.getByLabel('PIN', { exact: true }).fill('9999');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('unlock-wait').waitFor();
    await check(page, 'unlock too many attempts', size);
    await context.close();
  }
  // Locked while the pack is still going out: the unlock screen says so.
  {
    const { page, context } = await open(size, 'unlock-sending');
    await page.getByTestId('sending-while-locked').waitFor();
    await check(page, 'unlock while still sending', size);
    await context.close();
  }
  // The unlocked app.
  {
    const { page, context } = await open(size, 'app');
    await page.getByTestId('child-card').first().waitFor();
    await check(page, 'dashboard', size, 'dashboard');
    await page.locator('.card__name button').first().click();
    await page.getByRole('heading', { name: 'A. Administration' }).waitFor();
    await page.getByTestId('disagreements').waitFor();
    await check(page, 'form', size, 'form');
    await page.getByTestId('save-form').click();
    await page.locator('.error-summary').waitFor();
    await check(page, 'form with errors', size);
    await page.getByRole('button', { name: 'Photos' }).click();
    await page.getByRole('heading', { name: 'Add a photo' }).waitFor();
    await check(page, 'photos', size);
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    await check(page, 'history', size);
    await page.getByRole('button', { name: 'Children' }).click();
    await page.getByTestId('missing-button').first().click();
    await page.getByTestId('readout').waitFor();
    await page.getByLabel('Yes, or I am not sure').check();
    await check(page, 'missing', size, 'missing');
    await page.getByTestId('start-episode').waitFor();
    await check(page, 'missing with start button', size, 'missing-start');
    // The episode, from start to close.
    await page.getByTestId('start-episode').click();
    await page.getByRole('heading', { name: 'Quick steps' }).waitFor();
    await check(page, 'episode (fresh)', size, 'episode');
    await page.getByTestId('call-advice').waitFor();
    await page.locator('[data-testid^="step-"]').first().check();
    await page.getByText(/^Done at/).first().waitFor();
    await page.locator('#add-recipient').fill('duty.inspector@example.invalid');
    await page.getByTestId('add-extra').click();
    await page.getByTestId('send-pack').click();
    await page.getByTestId('delivery').first().waitFor();
    await check(page, 'episode sent (delivered, retrying, failed)', size, 'episode-sent');
    await page.locator('.give-up summary').first().click();
    await page.getByTestId('give-up').first().click();
    await page.locator('.error-summary').waitFor();
    await check(page, 'episode stop trying without a reason', size);
    await page.getByLabel('101 call').check();
    await page.locator('#report-reference').fill('CAD 4321 (fictional)');
    await page.locator('#report-police-words').fill('medium, review at 2am (fictional)');
    await page.getByTestId('save-report').click();
    await page.getByTestId('report-police-words-shown').waitFor();
    await page.getByTestId('change-type').click();
    await page.locator('#type-reason-error').waitFor();
    await check(page, 'episode type change without a reason', size);
    await page.locator('#type-reason').fill("At a friend's address, will not come back tonight (fictional).");
    await page.getByTestId('change-type').click();
    await page.getByTestId('type-changes').waitFor();
    await check(page, 'episode away without authorisation', size);
    await page.getByTestId('report-reference-shown').waitFor();
    // Police would not accept it: the screen says who the notice reached, from its deliveries.
    await page.getByText('Police would not accept the report', { exact: true }).click();
    await page.locator('#na-reason').fill('Told to ring back later (fictional)');
    await page.getByTestId('save-not-accepted').click();
    await page.getByTestId('refusal-notice').waitFor();
    await check(page, 'episode refusal notice', size);
    await page.locator('#update-text').fill('Seen at the bus station (fictional).');
    await page.getByTestId('add-update').click();
    await page.getByTestId('updates').waitFor();
    await page.getByTestId('send-update').waitFor();
    await check(page, 'episode before an update (who had the pack, who will be told)', size);
    await page.locator('#update-pack-note').fill('Seen at the bus station in a red coat (fictional).');
    await page.getByTestId('send-update-button').click();
    await page.getByText(/^Update sent/).first().waitFor();
    await check(page, 'episode update sent', size);
    await page.locator('#found-where').fill('Bus station (fictional)');
    await page.getByTestId('record-found').click();
    await page.getByTestId('returned-told').waitFor();
    await check(page, 'episode found, everyone told the child is back', size);
    await page.locator('#prevention-officer').fill('PC Example (fictional)');
    await page.getByTestId('save-prevention').click();
    await page.getByTestId('prevention-recorded').waitFor();
    await page.locator('#rhi-by').fill('Independent advocate (fictional)');
    await page.getByLabel('Yes', { exact: true }).check();
    await page.getByTestId('save-rhi').click();
    await page.getByTestId('rhi-recorded').waitFor();
    await check(page, 'episode found (with interviews)', size);
    await page.locator('#close-summary').fill('Home safe (fictional).');
    await page.getByTestId('close-episode').click();
    await page.getByTestId('episode-closed').waitFor();
    await check(page, 'episode closed', size);
    await page.getByTestId('save-meeting').click();
    await page.locator('#meeting-date-error').waitFor();
    await check(page, 'strategy meeting without a date', size);
    await page.locator('#meeting-date').fill('2026-12-01');
    await page.locator('#meeting-attended').fill('Social worker (fictional)\nDS Test (fictional)');
    await page.locator('#meeting-police').selectOption('yes');
    await page.getByTestId('save-meeting').click();
    await page.getByTestId('strategy-meeting').waitFor();
    await check(page, 'strategy meeting recorded', size);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Staff', exact: true }).waitFor();
    await check(page, 'settings', size);
    await page.locator('#strategy-episodes').fill('1');
    await page.getByTestId('save-strategy-rule').click();
    await page.locator('[data-testid=strategy-rule] .error-summary').waitFor();
    await check(page, 'settings strategy rule refused', size);
    await page.locator('#strategy-episodes').fill('2');
    await page.getByTestId('save-strategy-rule').click();
    await page.locator('[data-testid=strategy-rule] .notification--success').waitFor();
    await check(page, 'settings strategy rule saved', size);
    // Devices: a device waiting to join, the home's devices, a revocation being confirmed, and a
    // refused approval (no fingerprint typed).
    await page.getByRole('button', { name: 'Look for devices waiting to join' }).click();
    await page.getByTestId('waiting-device').waitFor();
    await page.getByRole('button', { name: 'Show the home’s devices' }).click();
    await page.getByTestId('home-device').first().waitFor();
    await page.locator('[data-testid=home-device][data-status=active] button', { hasText: 'Revoke' }).first().click();
    await page.getByTestId('waiting-device').getByRole('button', { name: /Approve/ }).click();
    await page.getByTestId('devices-error').waitFor();
    await check(page, 'settings devices', size);
    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await check(page, 'audit', size);
    await context.close();
  }
  // A child missing now: pinned on the dashboard; and the sending settings.
  {
    const { page, context } = await open(size, 'missing-now');
    await page.getByTestId('open-episode').first().waitFor();
    await check(page, 'dashboard with a child missing now', size, 'dashboard-missing');
    await page.getByTestId('open-episode-button').first().click();
    await page.getByTestId('also-recorded').waitFor();
    await check(page, 'episode also recorded on another device', size);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Police directory' }).waitFor();
    await page.getByTestId('test-smtp').click();
    await page.getByTestId('test-smtp-result').waitFor();
    await page.locator('.unit button', { hasText: 'Edit' }).first().click();
    await check(page, 'settings sending', size);
    await context.close();
  }
  // The whole missing flow with the keyboard alone, from the dashboard to closing the episode.
  {
    const { page, context } = await open(size, 'app');
    try {
      await page.getByTestId('child-card').first().waitFor();
      const k = page.keyboard;
      // The helper itself must fail for something Tab never reaches (the page heading is only
      // focused by the app after navigation), or passing it would prove nothing.
      await page.evaluate(() => document.querySelector('main .card__name button')?.focus());
      const proved = await tabTo(page, 'main h1', { limit: 60 }).then(() => false, () => true);
      if (!proved) throw new Error('tabTo reached an element that is not in the tab order');
      await page.evaluate(() => document.querySelector('main h1')?.focus());
      await tabTo(page, '[data-testid="missing-button"]');
      await k.press('Enter');
      await page.getByTestId('readout').waitFor();
      await tabTo(page, '#danger-yes');
      await k.press('Space');
      if (!(await page.locator('#danger-yes').isChecked())) throw new Error('the danger radio did not take Space');
      await tabTo(page, '[data-testid="start-episode"]');
      await k.press('Enter');
      await page.getByRole('heading', { name: 'Quick steps' }).waitFor();
      await tabTo(page, 'input[data-testid^="step-"]');
      await k.press('Space');
      await page.getByText(/^Done at/).first().waitFor();
      await tabTo(page, '[data-testid="send-pack"]');
      await k.press('Enter');
      await page.getByTestId('delivery').first().waitFor();
      await tabTo(page, '#report-reference');
      await k.type('CAD 1234 (fictional)');
      await tabTo(page, '[data-testid="save-report"]');
      await k.press('Enter');
      await page.getByTestId('report-reference-shown').waitFor();
      await tabTo(page, '#update-pack-note');
      await k.type('Seen at the bus station (fictional).');
      await tabTo(page, '[data-testid="send-update-button"]');
      await k.press('Enter');
      await page.getByText(/^Update sent/).first().waitFor();
      await tabTo(page, '#found-where');
      await k.type('Bus station (fictional)');
      await tabTo(page, '[data-testid="record-found"]');
      await k.press('Enter');
      await page.getByTestId('returned-told').waitFor();
      await page.locator('#prevention-officer').waitFor();
      await tabTo(page, '#prevention-officer');
      await k.type('PC Example (fictional)');
      await tabTo(page, '[data-testid="save-prevention"]');
      await k.press('Enter');
      await page.getByTestId('prevention-recorded').waitFor();
      await tabTo(page, '#close-summary');
      await k.type('Home safe (fictional).');
      await tabTo(page, '[data-testid="close-episode"]');
      await k.press('Enter');
      await page.getByTestId('episode-closed').waitFor();
      if (!(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'episode-closed'))) throw new Error('focus did not move to the closed notice');
      results.push(`ok   keyboard-only missing flow @ ${size}`);
    } catch (e) {
      results.push(`FAIL keyboard-only missing flow @ ${size}`);
      failures.push(`keyboard-only missing flow @ ${size}: ${e.message.split('\n')[0]}`);
    }
    await context.close();
  }
}

// Names in every script draw with the bundled fonts (ui/src/fonts, "Grab Pack Sans"). Chromium reports,
// through the DevTools protocol, which fonts drew each text node: a glyph the bundled fonts lack is
// drawn by a system font (or the last-resort box), which reports isCustomFont false, so this fails when
// a script's font is missing, even on a computer whose own fonts would have covered for it.
async function checkNameFonts(page, context, selector, what) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector });
  if (nodeIds.length === 0) failures.push(`${what}: nothing matched ${selector}`);
  let checked = 0;
  for (const nodeId of nodeIds) {
    const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId });
    const text = outerHTML.replace(/<[^>]*>/g, '').trim();
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const foreign = fonts.filter((f) => !f.isCustomFont);
    if (fonts.length === 0 || foreign.length > 0) {
      failures.push(`${what}: "${text}" is not drawn with the bundled fonts alone: ${fonts.map((f) => `${f.familyName}${f.isCustomFont ? '' : ' (system)'} x${f.glyphCount}`).join(', ') || 'no font'}`);
    }
    checked += 1;
  }
  await cdp.detach();
  return checked;
}
{
  const { page, context } = await open('laptop', 'app');
  await page.getByTestId('child-card').first().waitFor();
  const fixture = JSON.parse(fixtures);
  const names = new Set();
  for (const c of fixture.dashboard) [c.legal_name, ...c.known_as].forEach((n) => names.add(n));
  for (const child of Object.values(fixture.children)) {
    const id = child.form.identity;
    [id.legal_name, ...id.known_as].forEach((n) => names.add(n));
  }
  for (const s of scripts) s.sample_names.forEach((n) => names.add(n));
  // Load the faces the names need first (as the app would on a page that shows them), then lay them out.
  await page.evaluate(async (list) => {
    for (const name of list) {
      await document.fonts.load('16px "Grab Pack Sans"', name);
      await document.fonts.load('bold 16px "Grab Pack Sans"', name);
    }
    await document.fonts.ready;
  }, [...names]);
  // Every name as body text and as a bold heading, inside the app's own page and styles.
  await page.evaluate((list) => {
    const box = document.createElement('div');
    box.id = 'font-check';
    for (const name of list) {
      for (const tag of ['p', 'h2']) {
        const el = document.createElement(tag);
        el.textContent = name;
        box.append(el);
      }
    }
    document.body.append(box);
  }, [...names]);
  const onCards = await checkNameFonts(page, context, '[data-testid="child-card"] .card__name button, [data-testid="child-card"] .card__body > p.body-s', 'dashboard');
  const injected = await checkNameFonts(page, context, '#font-check > *', 'names in every script');
  results.push(`${failures.some((f) => f.startsWith('dashboard:') || f.startsWith('names in every script:')) ? 'FAIL' : 'ok  '} names drawn with the bundled fonts (${onCards} dashboard texts, ${names.size} names in ${scripts.length} scripts)`);
  await context.close();
}

await browser.close();
server.close();
console.log(results.join('\n'));
if (failures.length) {
  console.error(`\n${failures.length} problem(s):\n` + failures.join('\n'));
  process.exit(1);
}
console.log(`\nNo accessibility violations on ${results.length} screen checks.`);
