// The officer pages in a real Chromium: sign in, see the pack, open the PDF, acknowledge, and
// see the acknowledgement reach the home. axe-core must find zero violations at a 360x640 phone
// and a 1366x768 laptop. Starts the real grabpack-inbox binary on a free loopback port with a
// temporary config, and stops it at the end.
//
// The binary: GRABPACK_INBOX_BIN, else $CARGO_TARGET_DIR/debug/grabpack-inbox, else
// <repo>/target/debug/grabpack-inbox. Chromium: CHROMIUM_PATH, else /usr/bin/chromium.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, request } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');
const targetDir = process.env.CARGO_TARGET_DIR
  ? path.resolve(repoRoot, process.env.CARGO_TARGET_DIR)
  : path.join(repoRoot, 'target');
const BIN = process.env.GRABPACK_INBOX_BIN || path.join(targetDir, 'debug', 'grabpack-inbox');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const AXE = require.resolve('axe-core/axe.min.js');

const TOKEN = 'ui-test-token-for-fictional-home-not-a-secret';
const HOME_ID = 'home-ui-test';
const OFFICER = 'officer-ui-test';
const PASSWORD = 'a fictional password for the ui test';
const SIZES = [
  { name: 'phone', width: 360, height: 640 },
  { name: 'laptop', width: 1366, height: 768 },
];

const UNIT = 'force-ui';
let dir, server, base, browser, pdfBytes, receiptId, otherUnitReceiptId;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function fakePdf(size) {
  let text = '%PDF-1.7\n% fictional grab pack for the UI test\n';
  let i = 0;
  while (text.length < size - 7) text += (i++ * 2654435761 % 65536).toString(16) + '\n';
  return Buffer.from(text + '\n%%EOF\n');
}

async function axeCheck(page, label) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }),
  );
  const summary = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  assert.ok(result.passes.length > 20, `axe ran on ${label}`);
  assert.deepEqual(summary, [], `axe violations on ${label}`);
  if (process.env.UI_SCREENSHOTS) {
    const vp = page.viewportSize();
    await page.screenshot({ path: path.join(process.env.UI_SCREENSHOTS, `${label.replace(/[^a-z0-9]+/gi, '-')}-${vp.width}.png`), fullPage: true });
  }
}

async function noSideways(page, width, label) {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${label}: page is ${scroll}px wide in a ${width}px viewport`);
}

async function signIn(context) {
  const page = await context.newPage();
  await page.goto(`${base}/packs`);
  assert.match(page.url(), /\/login/);
  await page.getByLabel('User name').fill(OFFICER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/packs`);
  return page;
}

async function sendPack(pdf, unit, displayName) {
  const key = randomUUID();
  const manifest = {
    protocol: 'grabpack.intake.v1',
    idempotency_key: key,
    home: { id: HOME_ID, name: 'Larchfield House (fictional)' },
    child: { ref: 'child-ui-1', display_name: displayName },
    episode_id: 'ep-ui-1',
    recipient_id: unit,
    sent_at: new Date().toISOString(),
    pdf_sha256: createHash('sha256').update(pdf).digest('hex'),
    pdf_bytes: pdf.length,
    readout:
      'MISSING: Riley Example, 14 (fictional).\nLast seen 19:30 at the park gates, red coat, black trainers.\nMedication: insulin, due 21:00.\nRisk: known to adults of concern.',
    marking: 'OFFICIAL-SENSITIVE',
  };
  const api = await request.newContext({ ignoreHTTPSErrors: true });
  const resp = await api.post(`${base}/v1/packs`, {
    headers: { Authorization: `Bearer ${TOKEN}`, 'Idempotency-Key': key },
    multipart: {
      manifest: { name: 'manifest.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(manifest)) },
      pack: { name: 'grab-pack.pdf', mimeType: 'application/pdf', buffer: pdf },
    },
  });
  assert.equal(resp.status(), 201, await resp.text());
  const id = (await resp.json()).receipt_id;
  await api.dispose();
  return id;
}

before(async () => {
  assert.ok(fs.existsSync(BIN), `build the service first: ${BIN} is missing`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grabpack-inbox-ui-'));
  const port = await freePort();
  base = `https://localhost:${port}`;
  const cfg = path.join(dir, 'inbox.toml');
  fs.writeFileSync(
    cfg,
    [
      `listen = "127.0.0.1:${port}"`,
      'database = "inbox.db"',
      'key_file = "inbox.key"',
      'tls_cert = "cert.pem"',
      'tls_key = "key.pem"',
      'session_minutes = 30',
      '[[homes]]',
      `id = "${HOME_ID}"`,
      'name = "Larchfield House (fictional)"',
      `token_sha256 = "${createHash('sha256').update(TOKEN).digest('hex')}"`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, GRABPACK_INBOX_PASSWORD: PASSWORD };
  delete env.GRABPACK_INBOX_DB_KEY;
  execFileSync(BIN, ['init', '--config', cfg, '--self-signed', 'localhost,127.0.0.1'], { env });
  execFileSync(BIN, ['user', 'add', OFFICER, '--config', cfg, '--role', 'officer', '--unit', UNIT], { env });
  server = spawn(BIN, ['serve', '--config', cfg], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the service did not start in 30 s')), 30000);
    server.on('exit', (code) => reject(new Error(`the service exited (${code})`)));
    server.stdout.on('data', (d) => {
      if (String(d).includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });

  // The home sends one pack to the officer's unit, exactly as the protocol says, and one to
  // another unit, which this officer must never see.
  pdfBytes = fakePdf(30000);
  receiptId = await sendPack(pdfBytes, UNIT, 'Riley <b>Example</b>');
  otherUnitReceiptId = await sendPack(fakePdf(20000), 'force-other', 'Morgan Example (other unit)');

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.on('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function newContext(size) {
  // bypassCSP only so axe-core can be injected; the page itself allows no script.
  return browser.newContext({
    ignoreHTTPSErrors: true,
    bypassCSP: true,
    viewport: { width: size.width, height: size.height },
  });
}

test('the sign-in page is accessible at phone and laptop sizes', async () => {
  for (const size of SIZES) {
    const context = await newContext(size);
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor());
    await axeCheck(page, `sign-in (${size.name})`);
    await noSideways(page, size.width, `sign-in (${size.name})`);
    await context.close();
  }
});

test('a wrong password is refused and the officer stays signed out', async () => {
  const context = await newContext(SIZES[1]);
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('User name').fill(OFFICER);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /not right/);
  await page.goto(`${base}/packs`);
  assert.match(page.url(), /\/login/);
  await context.close();
});

test('an officer signs in, sees the new pack with its page-1 facts, opens the PDF and acknowledges', async () => {
  const context = await newContext(SIZES[0]);
  const page = await signIn(context);

  // The new pack: name escaped (no markup from the sender), marked unread, facts shown.
  const article = page.locator('article.pack').first();
  await assert.doesNotReject(article.waitFor());
  const heading = await article.getByRole('heading', { level: 2 }).innerText();
  assert.match(heading, /Riley <b>Example<\/b>/);
  assert.match(heading, /New/);
  assert.match(await article.locator('pre.readout').innerText(), /Medication: insulin, due 21:00/);

  // The session cookie is HttpOnly, Secure and SameSite=Strict.
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === '__Host-grabpack_session');
  assert.ok(session && session.httpOnly && session.secure && session.sameSite === 'Strict');

  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.reload();
    await axeCheck(page, `incoming packs (${size.name})`);
    await noSideways(page, size.width, `incoming packs (${size.name})`);
  }

  // Open the PDF through the page's own link, with the officer's session.
  const href = await article.getByRole('link', { name: /Open the grab pack PDF/ }).getAttribute('href');
  assert.equal(href, `/packs/${receiptId}/pdf`);
  const pdf = await context.request.get(`${base}${href}`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal(pdf.headers()['cache-control'], 'no-store', 'a child\'s pack is never cached on a shared device');
  assert.match(pdf.headers()['content-disposition'], new RegExp(`^inline; filename="grab-pack-${receiptId}\\.pdf"$`));
  assert.ok(Buffer.from(await pdf.body()).equals(pdfBytes), 'the officer gets the exact PDF the home sent');

  // Opened: no longer new.
  await page.reload();
  assert.doesNotMatch(await article.getByRole('heading', { level: 2 }).innerText(), /New/);

  // Acknowledge from the pack's page.
  await page.goto(`${base}/packs/${receiptId}`);
  await page.getByText('Acknowledge this report').first().click();
  await page.getByText('Not accepted as a missing report').first().click();
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await axeCheck(page, `pack page with the form open (${size.name})`);
    await noSideways(page, size.width, `pack page (${size.name})`);
  }
  // A missing field is explained, not lost.
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Acknowledge' }) });
  await form.getByLabel('Officer name').fill('PC Jo Example');
  await form.getByLabel('Collar number').fill('1234');
  await form.getByRole('button', { name: 'Acknowledge' }).evaluate((b) => b.form.noValidate = true);
  await form.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /police reference/i);
  await axeCheck(page, 'pack page showing a problem');

  const again = page.locator('form', { has: page.getByRole('button', { name: 'Acknowledge' }) });
  assert.equal(await again.getByLabel('Officer name').inputValue(), 'PC Jo Example');
  await again.getByLabel(/Police reference/).fill('CAD 5678');
  await again.getByLabel('Medium').check();
  await again.getByLabel(/Note for the home/).fill('Officer attending within the hour.');
  await again.getByRole('button', { name: 'Acknowledge' }).click();
  await page.waitForURL(`${base}/packs/${receiptId}`);
  const status = await page.locator('ul.status').innerText();
  assert.match(status, /Accepted by PC Jo Example \(collar 1234\)/);
  assert.match(status, /reference CAD 5678/);
  assert.match(status, /graded Medium/);
  await axeCheck(page, 'pack page after acknowledging');

  // It reaches the home.
  const api = await request.newContext({ ignoreHTTPSErrors: true });
  const acks = await (await api.get(`${base}/v1/acknowledgements?after=0`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
  assert.equal(acks.acknowledgements.length, 1);
  assert.equal(acks.acknowledgements[0].collar_number, '1234');
  assert.equal(acks.acknowledgements[0].risk_grading, 'medium');
  await api.dispose();
  await context.close();
});

test('an officer sees only the packs addressed to their unit', async () => {
  const context = await newContext(SIZES[1]);
  const page = await signIn(context);
  const list = await page.locator('main').innerText();
  assert.match(list, /Riley <b>Example<\/b>/);
  assert.doesNotMatch(list, /Morgan Example/, 'another unit\'s pack is listed');
  assert.match(await page.locator('header').innerText(), /officer, force-ui/);
  // Another unit's pack by its address: the same answer as for no pack at all.
  for (const path of [`/packs/${otherUnitReceiptId}`, `/packs/${otherUnitReceiptId}/pdf`]) {
    const resp = await context.request.get(`${base}${path}`, { maxRedirects: 0 });
    assert.equal(resp.status(), 404, path);
  }
  await context.close();
});

test('a form posted without the session\'s CSRF token is refused', async () => {
  const context = await newContext(SIZES[1]);
  await signIn(context);
  const resp = await context.request.post(`${base}/packs/${receiptId}/acknowledge`, {
    form: { csrf: 'forged', decision: 'not_accepted', officer_name: 'X', collar_number: '1', reason: 'forged' },
    maxRedirects: 0,
  });
  assert.equal(resp.status(), 403);
  await context.close();
});

test('not accepted as a missing report needs a reason, and then travels back with it', async () => {
  const context = await newContext(SIZES[0]);
  const page = await signIn(context);
  await page.goto(`${base}/packs/${receiptId}`);
  await page.getByText('Not accepted as a missing report').first().click();
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Record as not accepted' }) });
  await form.getByLabel('Officer name').fill('Call handler Sam Example');
  await form.getByLabel('Collar number').fill('CH-77');
  await form.getByRole('button', { name: 'Record as not accepted' }).evaluate((b) => b.form.noValidate = true);
  await form.getByRole('button', { name: 'Record as not accepted' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /reason/i);
  await axeCheck(page, 'not-accepted form showing a problem');
  const again = page.locator('form', { has: page.getByRole('button', { name: 'Record as not accepted' }) });
  assert.ok(await again.isVisible(), 'the form with the problem is the one left open');
  assert.equal(await again.getByLabel('Collar number').inputValue(), 'CH-77');
  await again.getByLabel(/Reason/).fill('Child back at the home before the report was taken.');
  await again.getByRole('button', { name: 'Record as not accepted' }).click();
  await page.waitForURL(`${base}/packs/${receiptId}`);
  assert.match(await page.locator('ul.status').innerText(), /Not accepted as a missing report by Call handler Sam Example \(collar CH-77\)/);

  const api = await request.newContext({ ignoreHTTPSErrors: true });
  const acks = await (await api.get(`${base}/v1/acknowledgements?after=0`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
  const last = acks.acknowledgements.at(-1);
  assert.equal(last.status, 'not_accepted');
  assert.equal(last.reason, 'Child back at the home before the report was taken.');
  await api.dispose();
  await context.close();
});
