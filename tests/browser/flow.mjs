// End-to-end browser test of Tilslutning: a supplier files a request, a municipal
// officer approves part of it, the supplier sees the agreement. Every page visited
// with JavaScript on gets an axe-core scan (WCAG 2.0/2.1 A and AA); a separate
// context with JavaScript off proves that logging in and filing work without it.
//
// Needs a portal started with fresh demo data (the flow files for G10302 and G10301,
// which the demo leaves free; a second run against the same database fails there):
//
//   TILSLUTNING_DATA_DIR=$(mktemp -d) TILSLUTNING_BIND=127.0.0.1:18181 \
//   TILSLUTNING_DEMO_PASSWORD=demo-password-2026 \
//     target/debug/tilslutning serve --with-demo-data &
//   cd tests/browser && npm ci && \
//     BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=demo-password-2026 node --test flow.mjs
//
// Optional: CHROMIUM (default /usr/bin/chromium), SHOTS_DIR (default /tmp/shots).

import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
const PASSWORD = process.env.DEMO_PASSWORD ?? '';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots';
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const SUPPLIER = 'leverandoer@demo.tilslutning.dk';
const OFFICER = 'kommune@demo.tilslutning.dk';
const OPERATOR = 'drift@demo.tilslutning.dk';
const PLADS = 'demo-service-plads';
const PLADS_NAME = 'Børneportalen Pladsanvisning';
const STAMDATA = 'Institutionens stamdata';
const INDMELDELSER = 'Indmeldelser og ventelister';
const PURPOSE = 'E2E-test: pladsanvisning og venteliste for G10302 – bevares ved fejl.';
const REFERENCE = /^DA-\d{4}-\d{6}$/;

const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** What the flow hands from one test to the next. */
const state = { reference: null, requestId: null, agreementRef: null, agreementId: null };
/** Every axe scan: { label, url, violations: [{ id, impact, help, nodes }] }. */
const scans = [];
/** CSP violations the browser reported in the context that enforces the CSP. */
const cspViolations = [];

let browser;

before(async () => {
  assert.ok(BASE_URL, 'BASE_URL must be set, e.g. http://127.0.0.1:18181');
  assert.ok(PASSWORD, 'DEMO_PASSWORD must be set');
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
});

after(async () => {
  await browser?.close();
});

// ---------------------------------------------------------------- helpers

/** A fresh context. With JS on, bypassCSP lets addScriptTag inject axe inline (test only). */
async function newPage({ javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    javaScriptEnabled,
    bypassCSP: javaScriptEnabled,
    locale: 'da-DK',
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  return { context, page };
}

/** Collapse whitespace so assertions don't depend on template layout. */
const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
const textOf = async (locator) => squash(await locator.innerText());

/** Click something that loads a new document (link or form submit) and wait for it. */
async function clickAndLoad(page, locator) {
  const navigated = page.waitForEvent('framenavigated', {
    predicate: (frame) => frame === page.mainFrame(),
  });
  await locator.click();
  await navigated;
  await page.waitForLoadState('load');
}

/** The page must not be an error page; returns the response-independent h1 text. */
async function heading(page) {
  return textOf(page.locator('main h1'));
}

/** Inject axe-core and scan the page; remember the result for the axe test. */
async function scan(page, label) {
  const already = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!already) await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
  );
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${squash(n.failureSummary)}`),
  }));
  scans.push({ label, url: page.url().replace(BASE_URL, ''), violations });
}

const nav = (page) => page.getByRole('navigation', { name: 'Hovedmenu' });

async function login(page, email, { axe = true } = {}) {
  await page.goto('/login');
  assert.equal(await heading(page), 'Log ind');
  if (axe) await scan(page, `login (${email})`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await clickAndLoad(page, page.getByRole('button', { name: 'Log ind' }));
  assert.equal(new URL(page.url()).pathname, '/', `login as ${email} should land on the start page`);
  assert.match(await heading(page), /^Velkommen/);
  assert.ok(await page.getByRole('button', { name: 'Log ud' }).isVisible(), 'a "Log ud" button is in the header');
  if (axe) await scan(page, `start page (${email})`);
}

async function logout(page, { axe = true } = {}) {
  await clickAndLoad(page, page.getByRole('button', { name: 'Log ud' }));
  assert.equal(new URL(page.url()).pathname, '/login', 'signing out leads to the login page');
  assert.equal(await page.getByRole('button', { name: 'Log ud' }).count(), 0, 'signed out');
  if (axe) await scan(page, 'login after signing out');
}

/** The table row whose first link is `linkText`, looked for on every page of the list. */
async function findRow(page, linkText, { label }) {
  for (let pageNo = 1; pageNo <= 20; pageNo++) {
    const row = page.locator('table tbody tr').filter({
      has: page.getByRole('link', { name: linkText, exact: true }),
    });
    if ((await row.count()) > 0) return row.first();
    const next = page.getByRole('navigation', { name: 'Sider' }).getByRole('link', { name: /Næste/ });
    if ((await next.count()) === 0) break;
    await clickAndLoad(page, next);
    await scan(page, `${label}, page ${pageNo + 1}`);
  }
  return null;
}

/** Tick only the scope checkboxes whose values are given. */
async function checkScopes(page, values) {
  for (const box of await page.locator('input[name="scopes"]').all()) {
    const value = await box.getAttribute('value');
    if (values.includes(value)) await box.check();
    else await box.uncheck();
  }
}

// ---------------------------------------------------------------- the flow

test('a. supplier files a request; a bad line is reported and the input kept', async () => {
  const { context, page } = await newPage();
  try {
    await login(page, SUPPLIER);
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Ny anmodning' }));
    assert.equal(new URL(page.url()).pathname, '/requests/new');
    assert.equal(await heading(page), 'Ny anmodning om dataadgang');
    assert.equal(
      await nav(page).getByRole('link', { name: 'Ny anmodning' }).getAttribute('aria-current'),
      'page',
      'the navigation marks the current page',
    );
    await scan(page, 'new request form');

    await page.getByLabel('Tjeneste', { exact: true }).selectOption(PLADS);
    await checkScopes(page, ['STAMDATA', 'INDMELDELSER']);
    await page.getByLabel('Institutionsnumre', { exact: true }).fill('G10302\nX12');
    await page.getByLabel('Formål', { exact: true }).fill(PURPOSE);
    const today = await page.getByLabel('Ønsket startdato', { exact: true }).inputValue();
    assert.match(today, /^\d{4}-\d{2}-\d{2}$/, 'wished start is prefilled');
    await clickAndLoad(page, page.getByRole('button', { name: 'Send anmodning' }));

    // The form comes back with an error for line 2 and everything typed kept.
    const summary = page.getByRole('alert');
    assert.ok(await summary.isVisible(), 'an error summary is shown');
    const summaryText = await textOf(summary);
    assert.match(summaryText, /Anmodningen er ikke sendt/);
    assert.match(summaryText, /Linje 2 \(«X12»\)/, `error mentions line 2: ${summaryText}`);
    assert.doesNotMatch(
      summaryText,
      /Linje 1/,
      `G10302 on line 1 should be accepted – is the portal running on fresh demo data? ${summaryText}`,
    );
    const institutions = page.getByLabel('Institutionsnumre', { exact: true });
    assert.equal(await institutions.getAttribute('aria-invalid'), 'true');
    const kept = (await institutions.inputValue()).split(/\r?\n/).map((l) => l.trim());
    assert.ok(kept.includes('G10302'), `the G10302 line is kept: ${JSON.stringify(kept)}`);
    assert.equal(await page.getByLabel('Formål', { exact: true }).inputValue(), PURPOSE, 'the purpose is kept');
    assert.equal(await page.getByLabel('Tjeneste', { exact: true }).inputValue(), PLADS, 'the service is kept');
    assert.ok(await page.locator('input[name="scopes"][value="STAMDATA"]').isChecked(), 'STAMDATA kept');
    assert.ok(await page.locator('input[name="scopes"][value="INDMELDELSER"]').isChecked(), 'INDMELDELSER kept');
    assert.equal(await page.getByLabel('Ønsket startdato', { exact: true }).inputValue(), today, 'the start date is kept');
    await page.screenshot({ path: path.join(SHOTS, 'new-request-errors.png'), fullPage: true });
    await scan(page, 'new request form with errors');
    // The same page on a phone-sized screen, for a person to look at.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, 'new-request-errors-mobile.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Fix the list and file.
    await institutions.fill('G10302');
    await clickAndLoad(page, page.getByRole('button', { name: 'Send anmodning' }));
    const url = new URL(page.url());
    assert.equal(url.pathname, '/requests', `filed requests are listed (got ${page.url()})`);
    assert.equal(url.searchParams.get('notice'), 'filed');
    assert.ok(url.searchParams.get('batch'), 'the list is limited to the new batch');
    await scan(page, 'filed requests (batch)');

    const rows = page.locator('table tbody tr');
    assert.equal(await rows.count(), 1, 'one institution, one request');
    const link = rows.first().getByRole('link', { name: REFERENCE });
    state.reference = squash(await link.innerText());
    assert.match(state.reference, REFERENCE);
    state.requestId = (await link.getAttribute('href')).split('/').pop();
    const row = await textOf(rows.first());
    assert.match(row, /G10302/);
    assert.match(row, new RegExp(PLADS_NAME));
    assert.match(await textOf(rows.first().locator('.status')), /^Afventer$/);
    await page.screenshot({ path: path.join(SHOTS, 'filed-requests.png'), fullPage: true });
    await logout(page);
  } finally {
    await context.close();
  }
});

test('b. officer approves part of it from the inbox and gets an agreement', async () => {
  assert.ok(state.reference, 'needs the reference filed in test a');
  const { context, page } = await newPage();
  try {
    await login(page, OFFICER);
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Indbakke' }));
    assert.equal(new URL(page.url()).pathname, '/inbox');
    assert.equal(await heading(page), 'Indbakke');
    await scan(page, 'inbox');

    const row = await findRow(page, state.reference, { label: 'inbox' });
    assert.ok(row, `${state.reference} is in the officer's inbox`);
    assert.match(await textOf(row), /G10302/);
    assert.match(await textOf(row.locator('.status')), /^Afventer$/);
    await clickAndLoad(page, row.getByRole('link', { name: state.reference, exact: true }));
    assert.equal(new URL(page.url()).pathname, `/requests/${state.requestId}`);
    assert.match(await heading(page), new RegExp(`^Anmodning ${state.reference} Afventer$`));
    assert.match(await textOf(page.locator('main')), new RegExp(PURPOSE.slice(0, 30)), 'purpose shown');
    await scan(page, 'request detail (officer, pending)');

    const decide = page.getByRole('region', { name: 'Afgør anmodningen' });
    const stamdata = decide.getByRole('checkbox', { name: STAMDATA });
    const indmeld = decide.getByRole('checkbox', { name: INDMELDELSER });
    assert.ok(await stamdata.isChecked(), 'requested scopes start ticked');
    assert.ok(await indmeld.isChecked(), 'requested scopes start ticked');
    await indmeld.uncheck();
    await page.screenshot({ path: path.join(SHOTS, 'officer-request-detail.png'), fullPage: true });
    await clickAndLoad(page, decide.getByRole('button', { name: 'Godkend de valgte dataadgange' }));

    assert.match(await heading(page), new RegExp(`^Anmodning ${state.reference} Godkendt$`));
    const scopes = await textOf(page.getByRole('region', { name: 'Dataadgange' }));
    assert.match(scopes, new RegExp(`${STAMDATA} – godkendt`));
    assert.match(scopes, new RegExp(`${INDMELDELSER} – ikke godkendt`));
    await page.screenshot({ path: path.join(SHOTS, 'officer-request-approved.png'), fullPage: true });
    await scan(page, 'request detail (officer, approved)');

    const agreementLink = page.locator('dl.facts a[href^="/agreements/"]');
    assert.equal(await agreementLink.count(), 1, 'the approved request links to its agreement');
    state.agreementRef = squash(await agreementLink.innerText());
    assert.match(state.agreementRef, /^AF-/);
    await clickAndLoad(page, agreementLink);
    state.agreementId = new URL(page.url()).pathname.split('/').pop();
    assert.match(await heading(page), new RegExp(`^Aftale ${state.agreementRef}\\b`));
    assert.match(await heading(page), /^Aftale AF-/);
    const granted = await textOf(page.getByRole('region', { name: 'Dataadgange' }));
    assert.match(granted, new RegExp(STAMDATA));
    assert.doesNotMatch(granted, new RegExp(INDMELDELSER));
    await page.screenshot({ path: path.join(SHOTS, 'officer-agreement.png'), fullPage: true });
    await scan(page, 'agreement detail (officer)');
    await logout(page);
  } finally {
    await context.close();
  }
});

test('c. supplier sees the new agreement as active', async () => {
  assert.ok(state.agreementRef, 'needs the agreement made in test b');
  const { context, page } = await newPage();
  try {
    await login(page, SUPPLIER);
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Aftaler' }));
    assert.equal(new URL(page.url()).pathname, '/agreements');
    await scan(page, 'agreements (supplier)');
    const row = await findRow(page, state.agreementRef, { label: 'agreements (supplier)' });
    assert.ok(row, `${state.agreementRef} is listed for the supplier`);
    const text = await textOf(row);
    assert.match(text, /G10302/);
    assert.match(text, new RegExp(PLADS_NAME));
    assert.match(await textOf(row.locator('.status')), /^Aktiv$/);
    await page.screenshot({ path: path.join(SHOTS, 'supplier-agreements.png'), fullPage: true });

    await clickAndLoad(page, row.getByRole('link', { name: state.agreementRef, exact: true }));
    assert.equal(new URL(page.url()).pathname, `/agreements/${state.agreementId}`);
    assert.match(await heading(page), new RegExp(`^Aftale ${state.agreementRef} Aktiv$`));
    await scan(page, 'agreement detail (supplier)');
    await logout(page);
  } finally {
    await context.close();
  }
});

test('c2. the audit log, profile and mail pages are reachable from the menu and work', async () => {
  const { context, page } = await newPage();
  try {
    await login(page, OFFICER);
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Revisionslog' }));
    assert.equal(new URL(page.url()).pathname, '/audit');
    await scan(page, 'audit log (officer)');
    assert.ok(state.reference, 'needs the request filed in test a');
    assert.match(await textOf(page.locator('main')), new RegExp(state.reference), 'the officer sees the filing in the log');
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Profil' }));
    await scan(page, 'profile');
    await page.getByLabel('English').check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Gem' }));
    assert.match(await textOf(page.locator('main')), /Dine valg er gemt/);
    assert.ok(await page.getByLabel('English').isChecked(), 'the choice is kept');
    await logout(page);
    await login(page, OPERATOR);
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Post' }));
    assert.equal(new URL(page.url()).pathname, '/operator/mail');
    await scan(page, 'mail queue (operator)');
    await logout(page);
  } finally {
    await context.close();
  }
});

test('d. no serious or critical WCAG 2.1 A/AA violations on any page visited', (t) => {
  assert.ok(scans.length >= 10, `pages were scanned (${scans.length})`);
  const lines = [];
  for (const s of scans) {
    for (const v of s.violations) {
      const line = `${s.label} [${s.url}]: ${v.id} (${v.impact}) ${v.help}\n      ${v.nodes.join('\n      ')}`;
      if (v.impact === 'serious' || v.impact === 'critical') lines.push(line);
      else t.diagnostic(`axe, ${v.impact ?? 'no impact'} (not failing): ${line}`);
    }
  }
  t.diagnostic(`axe scanned ${scans.length} pages: ${scans.map((s) => `${s.label} ${s.url}`).join('; ')}`);
  assert.deepEqual(lines, [], `axe-core found serious/critical violations:\n  ${lines.join('\n  ')}`);
});

test('e. without JavaScript a supplier can log in and file a request', async () => {
  const { context, page } = await newPage({ javaScriptEnabled: false });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(`${page.url()}: ${msg.text()}`);
  });
  try {
    await login(page, SUPPLIER, { axe: false });
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Ny anmodning' }));
    assert.equal(await heading(page), 'Ny anmodning om dataadgang');
    await page.getByLabel('Tjeneste', { exact: true }).selectOption(PLADS);
    await checkScopes(page, ['STAMDATA']);
    await page.getByLabel('Institutionsnumre', { exact: true }).fill('G10301');
    await page.getByLabel('Formål', { exact: true }).fill('E2E-test uden JavaScript.');
    await clickAndLoad(page, page.getByRole('button', { name: 'Send anmodning' }));
    const url = new URL(page.url());
    assert.equal(url.pathname, '/requests', `filed without JS (got ${page.url()})`);
    assert.equal(url.searchParams.get('notice'), 'filed');
    const rows = page.locator('table tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match(await textOf(rows.first()), /G10301/);
    assert.match(await textOf(rows.first().getByRole('link', { name: REFERENCE })), REFERENCE);
    assert.match(await textOf(rows.first().locator('.status')), /^Afventer$/);
    await page.screenshot({ path: path.join(SHOTS, 'nojs-filed.png'), fullPage: true });
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
});

// The portal's CSP forbids inline styles and scripts; no page may trip it.
test('f. pages respect their own Content-Security-Policy', () => {
  assert.deepEqual(cspViolations, [], `CSP violations:\n  ${cspViolations.join('\n  ')}`);
});
