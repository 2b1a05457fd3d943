// End-to-end browser test of Tilslutning: a supplier files a request, a municipal
// officer approves part of it, the supplier sees the agreement. Every page visited
// with JavaScript on gets an axe-core scan (WCAG 2.0/2.1 A and AA); a separate
// context with JavaScript off proves that logging in and filing work without it.
//
// Needs a portal started with fresh demo data (the flow files for G10302, G10301 and G10303,
// which the demo leaves free; a second run against the same database fails there):
//
//   TILSLUTNING_DATA_DIR=$(mktemp -d) TILSLUTNING_BIND=127.0.0.1:18181 \
//   TILSLUTNING_DEMO_PASSWORD=demo-password-2026 \
//     target/debug/tilslutning serve --with-demo-data &
//   cd tests/browser && npm ci && \
//     BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=demo-password-2026 node --test flow.mjs
//
// Optional: CHROMIUM (default /usr/bin/chromium), SHOTS_DIR (default /tmp/shots).
//
// Sign-in through OpenID Connect needs the test provider in tests/oidc, and the portal
// started with it (scripts/test does all of this):
//
//   (cd tests/oidc && PORT=18282 CLIENT_ID=tilslutning-browser-test CLIENT_SECRET=browser-test-secret-1 \
//     REDIRECT_URIS=http://127.0.0.1:18181/auth/oidc/callback \
//     POST_LOGOUT_REDIRECT_URIS='http://127.0.0.1:18181/login?notice=signed-out' node provider.mjs) &
//   plus, for the portal: TILSLUTNING_BASE_URL=http://127.0.0.1:18181
//     TILSLUTNING_OIDC_ISSUER=http://127.0.0.1:18282 TILSLUTNING_OIDC_CLIENT_ID=tilslutning-browser-test
//     TILSLUTNING_OIDC_CLIENT_SECRET=browser-test-secret-1
//   and, for this test: OIDC_ISSUER=http://127.0.0.1:18282
// Without OIDC_ISSUER the sign-in tests fail (they are never skipped).

import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
const PASSWORD = process.env.DEMO_PASSWORD ?? '';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots';
const OIDC_ISSUER = (process.env.OIDC_ISSUER ?? '').replace(/\/+$/, '');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const SUPPLIER = 'leverandoer@demo.tilslutning.dk';
const OFFICER = 'kommune@demo.tilslutning.dk';
const AUDITOR = 'revisor@demo.tilslutning.dk';
const STAFF = 'selvejende@demo.tilslutning.dk';
/** The portal's mail folder (file transport), where the reset link arrives. */
const MAIL_DIR = process.env.MAIL_DIR ?? '';
const OPERATOR = 'drift@demo.tilslutning.dk';
const PLADS = 'demo-service-plads';
const PLADS_NAME = 'Børneportalen Pladsanvisning';
const STAMDATA = 'Institutionens stamdata';
const INDMELDELSER = 'Indmeldelser og ventelister';
const PURPOSE = 'E2E-test: pladsanvisning og venteliste for G10302 – bevares ved fejl.';
const REFERENCE = /^DA-\d{4}-\d{6}$/;
const OIDC_BUTTON = 'Log ind med MitID Erhverv / Unilogin';
/** The provider account that becomes an officer of København (101) at its first sign-in,
 *  through the organisation claim (TILSLUTNING_OIDC_ORGANISATION_CLAIM=organisation). */
const OIDC_OFFICER = {
  sub: 'klara-browser', email: 'klara@koebenhavn.example.dk', email_verified: true,
  name: 'Klara Kommune', organisation: '101',
};

const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** What the flow hands from one test to the next. */
const state = { reference: null, requestId: null, agreementRef: null, agreementId: null, auditor: null };
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

/**
 * A fresh context. With JS on, bypassCSP lets addScriptTag inject axe inline (test only).
 * With enforceCSP, the portal's CSP stays in force and axe comes in as an init script
 * instead (DevTools-injected, so the CSP does not apply to it), ready on every page.
 */
async function newPage({ javaScriptEnabled = true, enforceCSP = false } = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    javaScriptEnabled,
    bypassCSP: javaScriptEnabled && !enforceCSP,
    locale: 'da-DK',
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  if (javaScriptEnabled && enforceCSP) await context.addInitScript({ path: AXE_PATH });
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

test('c2b. account pages: people admin, second factor set-up, forgotten password', async () => {
  const { context, page } = await newPage();
  try {
    await page.goto('/login');
    await clickAndLoad(page, page.getByRole('link', { name: 'Glemt adgangskode?' }));
    assert.equal(await heading(page), 'Glemt adgangskode');
    await scan(page, 'forgotten password');
    await page.locator('#email').fill('ikke-en-adresse');
    await clickAndLoad(page, page.getByRole('button', { name: 'Send link' }));
    assert.match(await textOf(page.locator('main')), /Skriv den e-mailadresse/);
    assert.equal(await page.locator('#email').inputValue(), 'ikke-en-adresse', 'what was typed is kept');
    await scan(page, 'forgotten password with an error');

    await login(page, OPERATOR, { axe: false });
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Personer' }));
    assert.equal(new URL(page.url()).pathname, '/operator/users');
    await scan(page, 'people (operator)');
    await clickAndLoad(page, page.getByRole('link', { name: 'Opret person' }));
    await page.locator('#email').fill('ny@example.org');
    await page.locator('#scope').fill('999');
    await page.locator('#role').selectOption('municipal_officer');
    await clickAndLoad(page, page.getByRole('button', { name: 'Opret' }));
    assert.match(await textOf(page.locator('main')), /Personen er ikke oprettet/);
    assert.equal(await page.locator('#email').inputValue(), 'ny@example.org', 'what was typed is kept');
    await scan(page, 'new person with errors');
    await page.locator('#display_name').fill('Ny Person');
    await page.locator('#scope').fill('101');
    await clickAndLoad(page, page.getByRole('button', { name: 'Opret' }));
    assert.equal(await heading(page), 'Ny Person');
    assert.match(await textOf(page.locator('main')), /Kommunal dagtilbudsansvarlig, København \(101\)/);
    await scan(page, 'person (operator)');

    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Profil' }));
    await clickAndLoad(page, page.getByRole('link', { name: 'Slå totrinsbekræftelse til' }));
    assert.equal(await heading(page), 'Totrinsbekræftelse');
    assert.ok(await page.locator('figure.qr svg').isVisible(), 'the QR code is shown');
    await scan(page, 'second factor set-up');
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
});

/** The six-digit code an authenticator app shows for a base32 secret (RFC 6238). */
function totpCode(secret, unixSeconds) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const value = mac.readUInt32BE(mac[19] & 15) & 0x7fffffff;
  return String(value % 1000000).padStart(6, '0');
}

test('c2c. the auditor turns on the second factor, signs in with a code, and resets a forgotten password', async () => {
  assert.ok(MAIL_DIR, 'MAIL_DIR must name the portal\'s mail folder (scripts/test sets it)');
  const { context, page } = await newPage();
  try {
    await login(page, AUDITOR, { axe: false });
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Profil' }));
    await clickAndLoad(page, page.getByRole('link', { name: 'Slå totrinsbekræftelse til' }));
    const secret = (await textOf(page.locator('#totp-secret'))).trim();
    state.auditor = { secret, password: PASSWORD };
    await page.locator('#code').fill('000000');
    await clickAndLoad(page, page.getByRole('button', { name: 'Slå til' }));
    assert.match(await textOf(page.locator('main')), /Koden passer ikke/);
    await scan(page, 'second factor set-up with a wrong code');
    await page.locator('#code').fill(totpCode(secret, Date.now() / 1000));
    await clickAndLoad(page, page.getByRole('button', { name: 'Slå til' }));
    assert.equal(await page.locator('ul.recovery-codes li').count(), 10, 'ten recovery codes are shown once');
    await scan(page, 'recovery codes');
    await logout(page, { axe: false });

    await page.locator('#email').fill(AUDITOR);
    await page.locator('#password').fill(PASSWORD);
    await clickAndLoad(page, page.getByRole('button', { name: 'Log ind' }));
    assert.equal(new URL(page.url()).pathname, '/login/code', 'the password leads to the code form');
    await scan(page, 'second factor code form');
    await page.locator('#code').fill('123456');
    await clickAndLoad(page, page.getByRole('button', { name: 'Log ind' }));
    assert.match(await textOf(page.locator('main')), /Koden er forkert eller allerede brugt/);
    await scan(page, 'second factor code form with an error');
    await page.locator('#code').fill(totpCode(secret, Date.now() / 1000 + 30));
    await clickAndLoad(page, page.getByRole('button', { name: 'Log ind' }));
    assert.equal(new URL(page.url()).pathname, '/', 'the right code signs in');
    await logout(page, { axe: false });

    await clickAndLoad(page, page.getByRole('link', { name: 'Glemt adgangskode?' }));
    await page.locator('#email').fill(AUDITOR);
    await clickAndLoad(page, page.getByRole('button', { name: 'Send link' }));
    let link;
    for (let tries = 0; tries < 50 && !link; tries++) {
      const mails = readdirSync(MAIL_DIR).map((f) => readFileSync(path.join(MAIL_DIR, f), 'utf8'));
      const text = mails.filter((m) => m.includes('reset')).join('\n').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      link = text.match(/\/password\/reset\/[0-9a-f]{64}/)?.[0];
      if (!link) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(link, 'the reset link arrives by mail');
    await page.goto(link);
    await page.locator('#password').fill('kort');
    await page.locator('#repeat').fill('kort');
    await clickAndLoad(page, page.getByRole('button', { name: 'Gem adgangskode' }));
    assert.match(await textOf(page.locator('main')), /mindst 12 tegn/);
    await scan(page, 'new password with an error');
    const fresh = 'revisorens nye og lange adgangssætning';
    await page.locator('#password').fill(fresh);
    await page.locator('#repeat').fill(fresh);
    await clickAndLoad(page, page.getByRole('button', { name: 'Gem adgangskode' }));
    assert.match(await textOf(page.locator('main')), /Din adgangskode er gemt/);
    state.auditor.password = fresh;
    await page.goto(link);
    assert.match(await textOf(page.locator('main')), /Linket er brugt, udløbet eller forkert/);
    await scan(page, 'used reset link');
  } finally {
    await context.close();
  }
});

const nav = (page) => page.getByRole('navigation', { name: /^(Hovedmenu|Main menu)$/ });

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

/** Report the CSP violations the browser logs for portal pages of this page. */
function watchCsp(page) {
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text()) && page.url().startsWith(BASE_URL)) {
      cspViolations.push(`${page.url()}: ${msg.text()}`);
    }
  });
}

/** The test provider's issuer; a missing one fails the test (CI treats it as a broken setup). */
function oidcIssuer() {
  assert.ok(
    OIDC_ISSUER,
    'OIDC_ISSUER must be set to the test OpenID provider (tests/oidc), e.g. http://127.0.0.1:18282, '
      + 'and the portal started with TILSLUTNING_OIDC_ISSUER pointing at it – see scripts/test',
  );
  return OIDC_ISSUER;
}

/** Store (or replace) the claims the test provider gives a subject. */
async function registerOidcAccount(claims) {
  const res = await fetch(`${oidcIssuer()}/__test/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  assert.equal(res.status, 200, `registering ${claims.sub} at the provider: ${await res.text()}`);
}

/**
 * A JS-on context with the portal's CSP enforced, watched for CSP violations. Requests to
 * anything but the portal and the provider are refused (the provider's stock pages
 * @import a web font).
 */
async function oidcPage() {
  const issuer = oidcIssuer();
  const { context, page } = await newPage({ enforceCSP: true });
  const allowed = [new URL(BASE_URL).origin, new URL(issuer).origin];
  await context.route((url) => !allowed.includes(url.origin), (route) => route.abort());
  watchCsp(page);
  return { context, page };
}

/** From the portal's login page, through the provider's button, to its login form. */
async function toProviderLogin(page, { axe = false } = {}) {
  await page.goto('/login');
  assert.equal(await heading(page), 'Log ind');
  const button = page.getByRole('link', { name: OIDC_BUTTON, exact: true });
  assert.equal(
    await button.count(),
    1,
    `the login page has one "${OIDC_BUTTON}" link – is the portal started with TILSLUTNING_OIDC_ISSUER?`,
  );
  assert.ok(await button.isVisible(), 'the provider button is visible');
  assert.match(await button.getAttribute('href'), /^\/auth\/oidc\/login(\?next=.*)?$/);
  assert.match(await button.getAttribute('class'), /\bbutton\b/, 'the link is styled as a button');
  if (axe) await scan(page, 'login with the provider button');
  await clickAndLoad(page, button);
  assert.ok(
    page.url().startsWith(`${OIDC_ISSUER}/interaction/`),
    `the button leads to the provider's login page (got ${page.url()})`,
  );
}

/** Fill in the provider's login form (any password) and submit it. */
async function providerLogin(page, login) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any-password-will-do');
  await clickAndLoad(page, page.getByRole('button', { name: 'Sign-in' }));
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
    // A scope left out needs its reason (the supplier is shown it).
    await decide.getByLabel(`Begrundelse, hvis «${INDMELDELSER}» ikke godkendes`).fill('E2E-test: ventelisten ligger hos kommunen.');
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

test('b2. a bulk approval leaves CPR for its own confirmation; operators see what nobody can decide', async () => {
  const { context, page } = await newPage();
  try {
    // The supplier files at a private unit that has no staff: the filing's page warns.
    await login(page, SUPPLIER);
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Ny anmodning' }));
    await page.getByLabel('Tjeneste', { exact: true }).selectOption(PLADS);
    await checkScopes(page, ['STAMDATA']);
    await page.getByLabel('Institutionsnumre', { exact: true }).fill('G10703');
    await page.getByLabel('Formål', { exact: true }).fill('E2E-test: en enhed uden godkender.');
    await clickAndLoad(page, page.getByRole('button', { name: 'Send anmodning' }));
    const warning = page.locator('#no-approver');
    assert.ok(await warning.isVisible(), 'the filing warns that nobody can decide at G10703');
    assert.match(await textOf(warning), /G10703/);
    await scan(page, 'filing with an institution nobody can decide for');
    await logout(page);

    await login(page, OFFICER);
    await page.goto('/inbox?institution=G10200');
    const cprRow = () => page.locator('table tbody tr').filter({ hasText: 'G10201' }).first();
    assert.match(await textOf(cprRow()), /CPR-numre \(følsom\)/, 'the row shows its scopes, the sensitive one marked');
    await scan(page, 'inbox with sensitive scopes');
    await cprRow().getByRole('checkbox').check();
    const approve = async () => {
      await clickAndLoad(page, page.getByRole('button', { name: 'Godkend valgte (alle dataadgange)' }));
      assert.match(await heading(page), /^Godkend 1 anmodning\?$/, 'a bulk decision is confirmed first');
      await clickAndLoad(page, page.getByRole('button', { name: 'Ja, godkend' }));
    };
    await approve();
    assert.match(
      await textOf(page.locator('main')),
      /1 anmodning med følsomme dataadgange blev ikke godkendt og venter stadig/,
      'without the confirmation the CPR request stays pending',
    );
    await cprRow().getByRole('checkbox').check();
    const confirmation = page.getByRole('group', { name: /Følsomme dataadgange/ });
    await confirmation.getByRole('checkbox', { name: /G10201/ }).check();
    await approve();
    assert.match(await textOf(page.locator('main')), /1 anmodning afgjort\./);
    assert.equal(await page.locator('table tbody tr').filter({ hasText: 'G10201' }).count(), 0, 'approved once confirmed');
    await logout(page);

    await login(page, OPERATOR);
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Uden godkender' }));
    assert.equal(new URL(page.url()).pathname, '/operator/unattended');
    assert.match(await textOf(page.locator('main')), /G10703/, 'the operator sees the request nobody can decide');
    await scan(page, 'requests without an approver (operator)');
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
    // The saved language is the language of the pages too, not only of the mails.
    assert.match(await textOf(page.locator('main')), /Your choices have been saved/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.ok(await page.getByLabel('English').isChecked(), 'the choice is kept');
    assert.equal(await nav(page).getByRole('link', { name: 'Audit log' }).count(), 1, 'the menu reads in English');
    await scan(page, 'profile in English');
    // The switch in the header goes back to Danish, on the same page.
    await clickAndLoad(page, page.getByRole('button', { name: 'Dansk' }));
    assert.equal(new URL(page.url()).pathname, '/profile', 'the switch stays on the page');
    assert.equal(await page.locator('html').getAttribute('lang'), 'da');
    assert.ok(await page.getByLabel('Dansk').isChecked(), 'the switch saved the choice');
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

test('c3. a municipal officer signs in through the identity provider and out again', async () => {
  await registerOidcAccount(OIDC_OFFICER);
  const cspBefore = cspViolations.length;
  const { context, page } = await oidcPage();
  try {
    await toProviderLogin(page, { axe: true });
    await page.screenshot({ path: path.join(SHOTS, 'oidc-provider-login.png'), fullPage: true });
    await providerLogin(page, OIDC_OFFICER.sub);

    const url = new URL(page.url());
    assert.equal(url.origin, new URL(BASE_URL).origin, `back at the portal (got ${page.url()})`);
    assert.equal(url.pathname, '/', 'signing in through the provider lands on the start page');
    assert.match(await heading(page), /^Velkommen/);
    assert.equal(await textOf(page.locator('header .who strong')), OIDC_OFFICER.name, 'signed in as Klara Kommune');
    assert.ok(await page.getByRole('button', { name: 'Log ud' }).isVisible(), 'a "Log ud" button is in the header');
    assert.ok(await nav(page).getByRole('link', { name: 'Indbakke' }).isVisible(), 'the officer\'s inbox is in the menu');
    await page.screenshot({ path: path.join(SHOTS, 'oidc-signed-in.png'), fullPage: true });
    await scan(page, 'start page (officer via the provider)');

    // Signing out ends the provider session too: the provider asks, then sends us back.
    await clickAndLoad(page, page.getByRole('button', { name: 'Log ud' }));
    assert.ok(
      page.url().startsWith(`${OIDC_ISSUER}/session/end`),
      `signing out goes to the provider's end-session page (got ${page.url()})`,
    );
    await clickAndLoad(page, page.getByRole('button', { name: 'Yes, sign me out' }));
    const back = new URL(page.url());
    assert.equal(back.origin, new URL(BASE_URL).origin, `back at the portal (got ${page.url()})`);
    assert.equal(back.pathname, '/login');
    assert.equal(back.searchParams.get('notice'), 'signed-out');
    assert.equal(await heading(page), 'Log ind');
    assert.equal(await textOf(page.getByRole('status')), 'Du er logget ud.');
    assert.equal(await page.getByRole('button', { name: 'Log ud' }).count(), 0, 'signed out');
    await scan(page, 'login after signing out through the provider');

    // Neither the portal nor the provider remembers the person.
    await page.goto('/');
    assert.equal(await page.getByRole('button', { name: 'Log ud' }).count(), 0, 'the portal session is gone');
    await toProviderLogin(page);
  } finally {
    await context.close();
  }
  assert.deepEqual(cspViolations.slice(cspBefore), [], 'no CSP violations while signing in and out through the provider');
});

test('c4. an unknown identity gets the no-access page', async () => {
  const sub = `ukendt-browser-${Date.now().toString(36)}`;
  await registerOidcAccount({
    sub, email: `${sub}@idp.test`, email_verified: true, name: 'Ukendt Person',
  });
  const cspBefore = cspViolations.length;
  const { context, page } = await oidcPage();
  let last = null;
  page.on('response', (res) => {
    if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) last = res;
  });
  try {
    await toProviderLogin(page);
    await providerLogin(page, sub);
    assert.ok(page.url().startsWith(BASE_URL), `back at the portal (got ${page.url()})`);
    assert.ok([200, 403].includes(last?.status()), `the no-access page's status is 403 (got ${last?.status()})`);
    assert.equal(await heading(page), 'Du har ikke adgang endnu');
    assert.match(await page.title(), /^Du har ikke adgang endnu/);
    const main = await textOf(page.locator('main'));
    assert.match(main, new RegExp(sub), 'the page shows the provider\'s user id to pass on to an administrator');
    assert.match(main, /Ukendt Person/);
    assert.equal(await page.getByRole('button', { name: 'Log ud' }).count(), 0, 'nobody is signed in');
    await page.screenshot({ path: path.join(SHOTS, 'oidc-no-access.png'), fullPage: true });
    await scan(page, 'no access (unknown identity)');
    const found = scans.at(-1).violations.map((v) => `${v.id} (${v.impact}) ${v.help}\n      ${v.nodes.join('\n      ')}`);
    assert.deepEqual(found, [], `axe-core found violations on the no-access page:\n  ${found.join('\n  ')}`);
  } finally {
    await context.close();
  }
  assert.deepEqual(cspViolations.slice(cspBefore), [], 'no CSP violations on the way to the no-access page');
});

test('c5. an operator makes an access-check token, a data provider asks with it, and the reference renders', async () => {
  const cspBefore = cspViolations.length;
  const { context, page } = await newPage({ enforceCSP: true });
  watchCsp(page);
  try {
    await login(page, OPERATOR, { axe: false });
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'API-nøgler' }));
    assert.equal(await heading(page), 'API-nøgler');
    await scan(page, 'API tokens (operator)');
    // Operators are offered access-check and administration tokens; this is the first.
    const accessCheck = () => page.locator('section').filter({ has: page.locator('#name-access_check') });
    await page.locator('#name-access_check').fill('');
    await clickAndLoad(page, accessCheck().getByRole('button', { name: 'Lav nøglen' }));
    assert.match(await textOf(page.locator('.error-summary')), /Giv nøglen et navn/);
    await scan(page, 'API tokens with an error');
    await page.locator('#name-access_check').fill('Dataudbyder i browsertesten');
    await clickAndLoad(page, accessCheck().getByRole('button', { name: 'Lav nøglen' }));
    const secret = await page.locator('#secret').inputValue();
    assert.match(secret, /^tsk_[0-9a-f]{64}$/, 'the token is shown once');
    await scan(page, 'API token just made');
    const answer = await page.request.get('/api/v1/access?service=demo-service-app&scope=STAMDATA&institution=G10101', {
      headers: { Authorization: `Bearer ${secret}` },
    });
    assert.equal(answer.status(), 200);
    assert.equal(typeof (await answer.json()).allowed, 'boolean');
    const withCookieOnly = await page.request.get('/api/v1/access?service=demo-service-app&scope=STAMDATA&institution=G10101');
    assert.equal(withCookieOnly.status(), 401, 'the session cookie opens nothing under /api');
    await page.goto('/static/api.html');
    await page.getByRole('heading', { name: 'The access check, for data providers' }).waitFor();
    assert.ok(await page.getByText('GET /api/v1/access').first().isVisible());
    await scan(page, 'API reference');
    await page.goto('/api-tokens');
    await clickAndLoad(page, page.getByRole('button', { name: /Tilbagekald/ }).first());
    assert.match(await textOf(page.locator('.notice')), /Nøglen er tilbagekaldt/);
    const after = await page.request.get('/api/v1/access?service=demo-service-app&scope=STAMDATA&institution=G10101', {
      headers: { Authorization: `Bearer ${secret}` },
    });
    assert.equal(after.status(), 401, 'a revoked token is refused');
    assert.deepEqual(cspViolations.slice(cspBefore), [], 'the token page and the reference keep to the CSP');
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
});

/** Signs in someone with a second factor (set up in c2c): password, then the app's code —
 *  waiting for the next code when this one was used already. */
async function loginWithCode(page, email, factor) {
  assert.ok(factor, 'c2c set up the second factor');
  await page.goto('/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(factor.password);
  await clickAndLoad(page, page.getByRole('button', { name: 'Log ind' }));
  assert.equal(new URL(page.url()).pathname, '/login/code', `${email}: the code form`);
  for (let tries = 0; tries < 3; tries++) {
    await page.locator('#code').fill(totpCode(factor.secret, Date.now() / 1000));
    await clickAndLoad(page, page.getByRole('button', { name: 'Log ind' }));
    if (new URL(page.url()).pathname === '/') return;
    await new Promise((r) => setTimeout(r, 31_000 - (Date.now() % 30_000)));
  }
  assert.fail(`${email} could not sign in with a code`);
}

/** The pages a role reaches from the main menu, and the first request and agreement. */
async function pagesOf(page) {
  const links = await nav(page).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const found = new Set(links.filter((href) => href && href.startsWith('/')));
  for (const [list, pattern] of [['/requests', /^\/requests\/[0-9a-f-]{36}$/], ['/agreements', /^\/agreements\/[0-9a-f-]{36}$/]]) {
    if (!found.has(list)) continue;
    await page.goto(list);
    const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const first = hrefs.find((href) => pattern.test(href ?? ''));
    if (first) found.add(first);
  }
  return [...found];
}

/** Every page of `email`'s in `language`, on a phone: no missing text, nothing wider than
 *  the screen, and an axe scan. Returns what was wrong. */
async function walk(page, email, language) {
  const problems = [];
  for (const href of await pagesOf(page)) {
    const response = await page.goto(href);
    const where = `${email} ${language} ${href}`;
    if (!response || response.status() >= 400) problems.push(`${where}: status ${response?.status()}`);
    const lang = await page.locator('html').getAttribute('lang');
    if (lang !== language) problems.push(`${where}: <html lang="${lang}">`);
    const text = await page.locator('body').innerText();
    if (text.includes('⟦')) problems.push(`${where}: a text is missing from the catalogue: ${text.match(/⟦[^⟧]*⟧/)[0]}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) problems.push(`${where}: ${width} px wide on a 390 px phone`);
    await scan(page, `${where} (phone)`);
  }
  return problems;
}

test("c9. every role's pages read in Danish and in English, with no text missing, on a phone", async () => {
  const { context, page } = await newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  const problems = [];
  try {
    for (const email of [SUPPLIER, OFFICER, STAFF, OPERATOR, AUDITOR]) {
      if (email === AUDITOR) await loginWithCode(page, AUDITOR, state.auditor);
      else await login(page, email, { axe: false });
      problems.push(...(await walk(page, email, 'da')));
      await page.goto('/');
      await clickAndLoad(page, page.getByRole('button', { name: 'English' }));
      assert.equal(await page.locator('html').getAttribute('lang'), 'en', `${email} switched to English`);
      problems.push(...(await walk(page, email, 'en')));
      await page.goto('/');
      await clickAndLoad(page, page.getByRole('button', { name: 'Dansk' }));
      assert.equal(await page.locator('html').getAttribute('lang'), 'da', `${email} back in Danish`);
      await logout(page, { axe: false });
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, [], `pages that read wrong:\n  ${problems.join('\n  ')}`);
});

/** Presses Tab until the focused element matches `selector` (and holds `text`), at most
 *  `limit` times; the focus must show (an outline or a ring). */
async function tabTo(page, selector, { text = null, limit = 120 } = {}) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(({ selector, text }) => {
      const el = document.activeElement;
      if (!el || !el.matches(selector) || (text && !el.textContent.includes(text))) return null;
      const style = getComputedStyle(el);
      return { outline: style.outlineStyle, ring: style.boxShadow };
    }, { selector, text });
    if (found) {
      assert.ok(found.outline !== 'none' || found.ring !== 'none', `the focus on ${selector} shows`);
      return;
    }
  }
  assert.fail(`Tab never reached ${selector}${text ? ` («${text}»)` : ''} on ${page.url()}`);
}

/** Presses `key` on the focused element and waits for the page it loads. */
async function pressAndLoad(page, key) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await page.keyboard.press(key);
  await navigated;
  await page.waitForLoadState('load');
}

async function keyboardLogin(page, email) {
  await page.goto('/login');
  await tabTo(page, '#email');
  await page.keyboard.type(email);
  await tabTo(page, '#password');
  await page.keyboard.type(PASSWORD);
  await pressAndLoad(page, 'Enter');
  assert.equal(new URL(page.url()).pathname, '/', `${email} signed in by keyboard`);
}

test('c10. on a phone, by keyboard alone, a supplier files a request and an officer approves it', async () => {
  const { context, page } = await newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await keyboardLogin(page, SUPPLIER);
    await tabTo(page, 'nav a', { text: 'Ny anmodning' });
    await pressAndLoad(page, 'Enter');
    assert.equal(await heading(page), 'Ny anmodning om dataadgang');
    await tabTo(page, 'input[name=scopes][value=STAMDATA]');
    await page.keyboard.press('Space');
    await tabTo(page, '#institutions');
    await page.keyboard.type('G10303');
    await tabTo(page, '#purpose');
    await page.keyboard.type('Tastaturtest på en telefon.');
    await tabTo(page, 'button[type=submit]', { text: 'Send anmodning' });
    await pressAndLoad(page, 'Enter');
    assert.equal(new URL(page.url()).searchParams.get('notice'), 'filed', `filed by keyboard (${page.url()})`);
    await tabTo(page, 'button', { text: 'Log ud' });
    await pressAndLoad(page, 'Enter');

    await keyboardLogin(page, OFFICER);
    await tabTo(page, 'nav a', { text: 'Indbakke' });
    await pressAndLoad(page, 'Enter');
    const box = await page.locator('table tbody tr').filter({ hasText: 'G10303' }).getByRole('checkbox').getAttribute('id');
    await tabTo(page, `#${box}`, { limit: 300 });
    await page.keyboard.press('Space');
    await tabTo(page, 'button', { text: 'Godkend valgte (alle dataadgange)', limit: 300 });
    await pressAndLoad(page, 'Enter');
    assert.equal(await heading(page), 'Godkend 1 anmodning?');
    await tabTo(page, 'button', { text: 'Ja, godkend' });
    await pressAndLoad(page, 'Enter');
    assert.match(await textOf(page.locator('main')), /1 anmodning afgjort\./, 'approved by keyboard');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the inbox fits the phone (${width} px)`);
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

/** Reads the portal's mail folder until a mail matching every pattern arrives. */
async function mailMatching(patterns) {
  assert.ok(MAIL_DIR, 'MAIL_DIR must name the portal\'s mail folder (scripts/test sets it)');
  for (let tries = 0; tries < 75; tries++) {
    const mails = readdirSync(MAIL_DIR).map((f) =>
      readFileSync(path.join(MAIL_DIR, f), 'utf8').replace(/=\r?\n/g, '').replace(/\r?\n[ \t]+/g, ' '));
    const found = mails.find((m) => patterns.every((p) => p.test(m)));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`no mail matching ${patterns.join(' and ')}`);
}

/** Scans the page and fails on a serious or critical axe finding there. */
async function scanStrict(page, label) {
  await scan(page, label);
  const bad = scans.at(-1).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.join('; ')}`), [], `axe on ${label}`);
}

/** Opens the agreement of `service` at `unit` from the agreements list; its reference. */
async function openAgreementAt(page, unit, serviceName) {
  await page.goto(`/agreements?institution=${unit}`);
  const row = page.locator('table tbody tr').filter({ hasText: serviceName }).first();
  const link = row.getByRole('link', { name: /^AF-/ });
  const reference = squash(await link.innerText());
  await clickAndLoad(page, link);
  assert.match(await heading(page), new RegExp(`^Aftale ${reference}`));
  return reference;
}

test('g1. an officer puts an agreement on hold with a reason, and resumes it', async () => {
  const { context, page } = await newPage();
  try {
    await login(page, OFFICER, { axe: false });
    const reference = await openAgreementAt(page, 'G10401', PLADS_NAME);
    await scanStrict(page, 'agreement with hold form (officer)');
    await clickAndLoad(page, page.getByRole('button', { name: 'Sæt aftalen i bero' }));
    assert.match(await textOf(page.locator('main')), /Skriv en begrundelse for, at aftalen sættes i bero/);
    await scanStrict(page, 'hold refused without a reason');
    const reason = 'E2E: databehandleraftalen gennemgås.';
    await page.locator('#suspend-reason').fill(reason);
    await clickAndLoad(page, page.getByRole('button', { name: 'Sæt aftalen i bero' }));
    assert.equal(await heading(page), `Sæt aftale ${reference} i bero?`);
    await scanStrict(page, 'confirm hold');
    await clickAndLoad(page, page.getByRole('button', { name: 'Ja, sæt aftalen i bero' }));
    assert.match(await heading(page), new RegExp(`^Aftale ${reference} Sat i bero$`));
    const main = await textOf(page.locator('main'));
    assert.match(main, /Aftalen er sat i bero\. Leverandøren får besked\./);
    assert.ok(main.includes(reason), 'the reason is shown');
    await mailMatching([new RegExp(`Aftale ${reference} er sat i bero`), /^To:.*leverandoer@demo\.tilslutning\.dk/m]);

    await page.goto('/agreements?status=suspended');
    const row = page.locator('table tbody tr').filter({ hasText: reference });
    assert.ok((await textOf(row)).includes(reason), 'the list shows why it is on hold');

    await page.goto(`/agreements?institution=G10401`);
    await openAgreementAt(page, 'G10401', PLADS_NAME);
    await clickAndLoad(page, page.getByRole('button', { name: 'Genoptag aftalen' }));
    assert.equal(await heading(page), `Genoptag aftale ${reference}?`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Ja, genoptag aftalen' }));
    assert.match(await heading(page), new RegExp(`^Aftale ${reference} Aktiv$`));
    assert.match(await textOf(page.locator('main')), /Aftalen er genoptaget/);
    await mailMatching([new RegExp(`Aftale ${reference} er genoptaget`), /^To:.*leverandoer@demo\.tilslutning\.dk/m]);
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
});

test('g2. a supplier pauses and resumes a service, and renews an agreement in one click', async () => {
  const { context, page } = await newPage();
  try {
    await login(page, SUPPLIER, { axe: false });
    assert.equal(await nav(page).getByRole('link', { name: 'Tjenester i bero' }).count(), 0,
      'one services page, no second navigation entry');
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Leverandørkonto' }));
    assert.equal(await heading(page), 'Tjenester hos Børneportalen A/S');
    await scanStrict(page, 'services with holds (supplier)');
    const section = page.getByRole('region', { name: PLADS_NAME });
    const reason = 'E2E: planlagt vedligeholdelse.';
    // Without a reason the page comes back with the message at the service.
    await clickAndLoad(page, section.getByRole('button', { name: `Sæt ${PLADS_NAME} i bero` }));
    assert.equal(await heading(page), 'Tjenester hos Børneportalen A/S');
    assert.match(await page.title(), /^Fejl: /);
    assert.match(await textOf(page.getByRole('region', { name: PLADS_NAME })), /Skriv en begrundelse/);
    await scanStrict(page, 'services with a refused pause (supplier)');
    await section.getByLabel('Begrundelse', { exact: true }).fill(reason);
    await clickAndLoad(page, section.getByRole('button', { name: `Sæt ${PLADS_NAME} i bero` }));
    assert.equal(await heading(page), `Sæt tjenesten ${PLADS_NAME} i bero?`);
    await scanStrict(page, 'confirm service pause (supplier)');
    await clickAndLoad(page, page.getByRole('button', { name: 'Ja, sæt tjenesten i bero' }));
    assert.equal(new URL(page.url()).pathname, '/suppliers/demo-supplier-1/services');
    assert.match(await textOf(page.locator('main')), /Tjenesten er sat i bero\. Institutionerne får besked\./);
    const paused = await textOf(page.getByRole('region', { name: PLADS_NAME }));
    assert.ok(paused.includes(reason));
    assert.match(paused, /Sat i bero af jer/);
    await mailMatching([/Pladsanvisning er sat i bero/, /^To:.*kommune@demo\.tilslutning\.dk/m]);
    await openAgreementAt(page, 'G10401', PLADS_NAME);
    assert.match(await heading(page), /Sat i bero$/, 'the service pause holds its agreements');

    await page.goto('/service-holds');
    assert.equal(new URL(page.url()).pathname, '/suppliers/demo-supplier-1/services', 'old links land on the services page');
    await clickAndLoad(page, page.getByRole('region', { name: PLADS_NAME })
      .getByRole('button', { name: `Genoptag ${PLADS_NAME}` }));
    await clickAndLoad(page, page.getByRole('button', { name: 'Ja, genoptag tjenesten' }));
    assert.match(await textOf(page.locator('main')), /Jeres pause på tjenesten er ophævet/);
    assert.equal(new URL(page.url()).pathname, '/suppliers/demo-supplier-1/services');
    assert.doesNotMatch(await textOf(page.getByRole('region', { name: PLADS_NAME })), /Sat i bero af jer/);
    await openAgreementAt(page, 'G10401', PLADS_NAME);
    assert.match(await heading(page), /Aktiv$/);

    const reference = await openAgreementAt(page, 'G10504', 'Børneportalen Forældreapp');
    await scanStrict(page, 'agreement with renewal (supplier)');
    await clickAndLoad(page, page.getByRole('button', { name: 'Anmod om fornyelse' }));
    assert.match(new URL(page.url()).pathname, /^\/requests\//);
    const main = await textOf(page.locator('main'));
    assert.match(main, /Anmodningen om fornyelse er sendt/);
    assert.ok(main.includes(`Fornyelse af aftale ${reference}`), 'the request says what it renews');
    await scanStrict(page, 'renewal request (supplier)');
    await mailMatching([new RegExp(`Fornyelse af aftale ${reference}`), /^To:.*kommune@demo\.tilslutning\.dk/m]);
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
});

// ------------------------------------------- decisions scope by scope, the inbox by klynge

/** The axe findings that fail (serious or critical) among the scans labelled `prefix`. */
function seriousFindings(prefix) {
  return scans
    .filter((s) => s.label.startsWith(prefix))
    .flatMap((s) => s.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${s.label} [${s.url}]: ${v.id} ${v.help}\n      ${v.nodes.join('\n      ')}`));
}

const WHY_ENROLMENTS = 'E2E: ventelisten ligger hos kommunens pladsanvisning.';
const WHY_CPR = 'E2E: CPR-numre er ikke nødvendige her.';

test('h1. an officer approves part of a request with a reason per refused scope; the supplier reads them', async () => {
  const { context, page } = await newPage();
  try {
    await login(page, OFFICER, { axe: false });
    await page.goto('/inbox?institution=G10202');
    const row = page.locator('table tbody tr').filter({ hasText: 'G10202' }).first();
    await clickAndLoad(page, row.getByRole('link', { name: REFERENCE }));
    const requestPath = new URL(page.url()).pathname;
    const decide = page.getByRole('region', { name: 'Afgør anmodningen' });
    await decide.getByRole('checkbox', { name: INDMELDELSER }).uncheck();
    await decide.getByRole('checkbox', { name: 'CPR-numre' }).uncheck();
    await decide.getByLabel(`Begrundelse, hvis «${INDMELDELSER}» ikke godkendes`).fill(WHY_ENROLMENTS);
    await clickAndLoad(page, decide.getByRole('button', { name: 'Godkend de valgte dataadgange' }));

    // CPR has no reason: the form says so, and keeps the ticks and the typed reason.
    assert.match(await page.title(), /^Fejl/, 'the title says the page has an error');
    const summary = page.locator('.error-summary');
    assert.match(await textOf(summary), /Skriv en begrundelse for hver dataadgang, du ikke godkender/);
    const cprReason = page.getByLabel('Begrundelse, hvis «CPR-numre» ikke godkendes');
    assert.equal(await cprReason.getAttribute('aria-invalid'), 'true');
    assert.match(await textOf(page.locator('#refusal-CPR-error')), /Skriv, hvorfor denne dataadgang ikke godkendes/);
    const again = page.getByRole('region', { name: 'Afgør anmodningen' });
    assert.ok(await again.getByRole('checkbox', { name: STAMDATA }).isChecked(), 'the granted scope stays ticked');
    assert.ok(!(await again.getByRole('checkbox', { name: INDMELDELSER }).isChecked()), 'the refused scope stays unticked');
    assert.ok(!(await again.getByRole('checkbox', { name: 'CPR-numre' }).isChecked()));
    assert.equal(
      await again.getByLabel(`Begrundelse, hvis «${INDMELDELSER}» ikke godkendes`).inputValue(),
      WHY_ENROLMENTS,
      'the typed reason is kept',
    );
    await scan(page, 'g1 decision form with a missing reason');
    await page.screenshot({ path: path.join(SHOTS, 'decision-missing-reason.png'), fullPage: true });
    // The summary's link leads to the field.
    await summary.getByRole('link', { name: /CPR-numre/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'refusal-CPR');
    await cprReason.fill(WHY_CPR);
    await clickAndLoad(page, again.getByRole('button', { name: 'Godkend de valgte dataadgange' }));
    assert.match(await heading(page), /Godkendt$/);
    await logout(page, { axe: false });

    await login(page, SUPPLIER, { axe: false });
    await page.goto(requestPath);
    const scopes = await textOf(page.getByRole('region', { name: 'Dataadgange' }));
    assert.match(scopes, new RegExp(`${INDMELDELSER} – ikke godkendt Begrundelse: ${WHY_ENROLMENTS}`));
    assert.ok(scopes.includes(`Begrundelse: ${WHY_CPR}`), scopes);
    assert.match(scopes, new RegExp(`${STAMDATA} – godkendt`));
    await scan(page, 'g1 request with reasons (supplier)');
    await page.screenshot({ path: path.join(SHOTS, 'supplier-refusal-reasons.png'), fullPage: true });
    await logout(page, { axe: false });
    assert.deepEqual(seriousFindings('g1 '), []);
  } finally {
    await context.close();
  }
});

test('h2. the inbox shows age and scopes, and a klynge is selected and decided by keyboard', async () => {
  const { context, page } = await newPage({ enforceCSP: true });
  const violations = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
  });
  try {
    await keyboardLogin(page, OFFICER);
    await page.goto('/inbox');
    const table = page.locator('table');
    assert.ok(await table.getByRole('columnheader', { name: 'Ventet' }).isVisible(), 'an age column');
    const rows = page.locator('table tbody tr:not(.group)');
    assert.match(await textOf(rows.first()), /i dag|\d+ dag/, 'each row says how long it has waited');
    assert.ok(
      (await page.locator('table tbody tr').filter({ hasText: /CPR-numre \(følsom\)/ }).count()) > 0,
      'scopes are shown, sensitive ones marked',
    );
    await scan(page, 'g2 inbox with age and select-all');
    const klyngeBoxes = page.locator('input[name="ids"][data-klynge="G10100"]');
    const inKlynge = await klyngeBoxes.count();
    assert.ok(inKlynge >= 2, `klynge G10100 has rows (${inKlynge})`);
    const ticked = () => page.locator('input[name="ids"]:checked');

    await tabTo(page, 'button.select-klynge[value="G10100"]', { limit: 300 });
    await page.keyboard.press('Space');
    assert.equal(new URL(page.url()).pathname, '/inbox', 'with JavaScript it ticks in place');
    assert.equal(await ticked().count(), inKlynge, 'exactly the klynge is ticked');
    assert.equal(await page.locator('input[name="ids"][data-klynge="G10100"]:checked').count(), inKlynge);
    await page.keyboard.press('Enter');
    assert.equal(await ticked().count(), 0, 'pressed again, it clears the klynge');
    await page.keyboard.press('Space');
    assert.equal(await ticked().count(), inKlynge);
    await page.screenshot({ path: path.join(SHOTS, 'inbox-klynge-selected.png'), fullPage: true });

    await tabTo(page, 'button', { text: 'Godkend valgte (alle dataadgange)', limit: 300 });
    await pressAndLoad(page, 'Enter');
    assert.equal(await heading(page), `Godkend ${inKlynge} anmodninger?`);
    await tabTo(page, 'button', { text: 'Ja, godkend' });
    await pressAndLoad(page, 'Enter');
    assert.match(await textOf(page.locator('main')), new RegExp(`${inKlynge} anmodninger afgjort\\.`));
    assert.equal(await page.locator('input[name="ids"][data-klynge="G10100"]').count(), 0, 'the klynge is decided');
    assert.ok((await page.locator('input[name="ids"]').count()) > 0, 'the other klynger still wait');
    await logout(page, { axe: false });
    assert.deepEqual(violations, [], `CSP violations:\n  ${violations.join('\n  ')}`);
    assert.deepEqual(seriousFindings('g2 '), []);
  } finally {
    await context.close();
  }
});

test('h3. without JavaScript the select-all posts back and ticks the klynge', async () => {
  const { context, page } = await newPage({ javaScriptEnabled: false });
  try {
    await login(page, OFFICER, { axe: false });
    await page.goto('/inbox');
    const klynge = await page.locator('input[name="ids"][data-klynge="G10200"]').count();
    assert.ok(klynge >= 1, 'klynge G10200 still has rows waiting');
    await clickAndLoad(page, page.getByRole('button', { name: /^Vælg alle i G10200/ }));
    assert.equal(await page.locator('input[name="ids"]:checked').count(), klynge, 'the page returns with the klynge ticked');
    assert.equal(await page.locator('input[name="ids"][data-klynge="G10200"]:checked').count(), klynge);
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
});

// ---- Issue 14 (helper D): a supplier runs its own account; operators administer. ----

test('i1. a supplier admin edits a service (a bad address is explained and kept), invites a colleague and reads the activity', async () => {
  const { context, page } = await newPage();
  try {
    await login(page, SUPPLIER, { axe: false });
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Leverandørkonto' }));
    assert.equal(await heading(page), 'Tjenester hos Børneportalen A/S');
    await scanStrict(page, 'services (supplier admin)');
    await clickAndLoad(page, page.getByRole('link', { name: 'Børneportalen Forældreapp', exact: true }));
    assert.equal(await heading(page), 'Børneportalen Forældreapp');
    await page.getByLabel('Privatlivspolitik (adresse)').fill('boerneportalen.dk/privatliv');
    await page.getByLabel('Beskrivelse').fill('Beskeder, fremmøde og billeder mellem dagtilbud og forældre.');
    await clickAndLoad(page, page.getByRole('button', { name: 'Gem tjenesten' }));
    assert.match(await textOf(page.locator('.error-summary')), /Privatlivspolitik \(adresse\) skal være en fuld webadresse/);
    assert.equal(await page.getByLabel('Privatlivspolitik (adresse)').inputValue(), 'boerneportalen.dk/privatliv', 'what was typed is kept');
    assert.equal(
      await page.getByLabel('Beskrivelse').inputValue(),
      'Beskeder, fremmøde og billeder mellem dagtilbud og forældre.',
      'the other fields are kept too',
    );
    await scanStrict(page, 'service with an error');
    await page.getByLabel('Privatlivspolitik (adresse)').fill('https://boerneportalen.dk/privatliv');
    await clickAndLoad(page, page.getByRole('button', { name: 'Gem tjenesten' }));
    assert.match(await textOf(page.locator('main')), /Tjenesten er gemt\./);
    assert.equal(await page.getByLabel('Privatlivspolitik (adresse)').inputValue(), 'https://boerneportalen.dk/privatliv');

    await clickAndLoad(page, page.getByRole('link', { name: /← Tjenester hos/ }));
    await clickAndLoad(page, page.getByRole('link', { name: 'Kolleger', exact: true }));
    assert.equal(await heading(page), 'Kolleger hos Børneportalen A/S');
    await page.locator('#email').fill('e2e-kollega@boerneportalen.dk');
    await page.locator('#display_name').fill('Erik Kollega');
    await page.locator('#role').selectOption('supplier_user');
    await clickAndLoad(page, page.getByRole('button', { name: 'Send invitation' }));
    assert.match(await textOf(page.locator('main')), /Invitationen er sendt\./);
    assert.match(await textOf(page.locator('table')), /Erik Kollega/);
    await scanStrict(page, 'colleagues');

    await clickAndLoad(page, page.getByRole('link', { name: 'Aktivitet', exact: true }));
    assert.equal(await heading(page), 'Aktivitet hos Børneportalen A/S');
    const first = page.locator('ol.audit-rows > li').first();
    assert.match(await textOf(first), /Invitation sendt|Invitation/);
    assert.match(await textOf(page.locator('ol.audit-rows')), /Tjeneste ændret/);
    assert.match(await textOf(page.locator('ol.audit-rows')), /Lene Leverandør/);
    await scanStrict(page, 'activity');
    await page.screenshot({ path: path.join(SHOTS, 'supplier-activity.png'), fullPage: true });

    // The admin makes the new colleague an admin, from the colleague's row.
    await clickAndLoad(page, page.getByRole('link', { name: 'Kolleger', exact: true }));
    await clickAndLoad(page, page.getByRole('button', { name: 'Gør til Leverandøradministrator: Erik Kollega' }));
    assert.match(await textOf(page.locator('main')), /Kollegaens rolle er ændret\./);
    assert.match(await textOf(page.locator('table')), /Erik Kollega.*Leverandøradministrator/s);
    await page.getByRole('button', { name: 'Gør til Leverandørbruger: Erik Kollega' }).waitFor();
    await scanStrict(page, 'colleagues after a role change');
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
});

test('i2. an operator verifies a supplier and adds a scope; the newly verified supplier is no longer refused', async () => {
  const { context, page } = await newPage();
  try {
    await login(page, 'nystartet@demo.tilslutning.dk', { axe: false });
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Ny anmodning' }));
    assert.match(await textOf(page.locator('#supplier-not-verified')), /Nystartet Software ApS er ikke verificeret/);
    await scanStrict(page, 'filing form, supplier not verified');
    await logout(page, { axe: false });

    await login(page, OPERATOR, { axe: false });
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Leverandører' }));
    assert.equal(await heading(page), 'Leverandører');
    await scanStrict(page, 'suppliers (operator)');
    const row = page.locator('table tbody tr').filter({ hasText: 'Nystartet Software ApS' });
    assert.match(await textOf(row), /Nej/);
    await clickAndLoad(page, row.getByRole('button', { name: /Verificér/ }));
    assert.match(await textOf(page.locator('main')), /Leverandøren er verificeret\./);
    assert.match(await textOf(page.locator('table tbody tr').filter({ hasText: 'Nystartet Software ApS' })), /Ja/);

    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Dataadgange' }));
    assert.equal(await heading(page), 'Dataadgange');
    await clickAndLoad(page, page.getByRole('link', { name: 'Ny dataadgang' }));
    await page.getByLabel('Kode').fill('fravær');
    await page.getByLabel('Navn på dansk').fill('Fravær');
    await page.getByLabel('Navn på engelsk').fill('Absence');
    await page.getByLabel('Beskrivelse på dansk').fill('Børns fravær og sygdom.');
    await page.getByLabel('Beskrivelse på engelsk').fill("Children's absence and illness.");
    await clickAndLoad(page, page.getByRole('button', { name: 'Gem dataadgangen' }));
    assert.match(await textOf(page.locator('.error-summary')), /Kode må kun indeholde store bogstaver/);
    assert.equal(await page.getByLabel('Kode').inputValue(), 'fravær', 'what was typed is kept');
    await scanStrict(page, 'new scope with an error');
    await page.getByLabel('Kode').fill('FRAVAER');
    await clickAndLoad(page, page.getByRole('button', { name: 'Gem dataadgangen' }));
    assert.match(await textOf(page.locator('main')), /Dataadgangen er oprettet\./);
    assert.match(await textOf(page.locator('table')), /FRAVAER/);
    await scanStrict(page, 'scopes (operator)');
    await logout(page, { axe: false });

    await login(page, 'nystartet@demo.tilslutning.dk', { axe: false });
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Ny anmodning' }));
    assert.equal(await page.locator('#supplier-not-verified').count(), 0, 'verified now');
    assert.match(await textOf(page.locator('main')), /Fravær/);
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
});

test('i3. an operator makes an administration token (too long first) and runs suppliers and scopes with it', async () => {
  const { context, page } = await newPage();
  try {
    await login(page, OPERATOR, { axe: false });
    await page.goto('/api-tokens');
    const form = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Ny nøgle til administration' }) });
    await form.getByLabel('Navn').fill('CVR-robot');
    const iso = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
    await form.getByLabel('Sidste dag, den virker').fill(iso(120));
    await form.getByLabel('Oprette og verificere leverandører og styre deres tjenester').check();
    await form.getByLabel('Tilføje og rette dataadgange').check();
    await clickAndLoad(page, form.getByRole('button', { name: 'Lav nøglen' }));
    assert.match(await textOf(page.locator('.error-summary')), /kan højst virke 90 dage frem/);
    const kept = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Ny nøgle til administration' }) });
    assert.equal(await kept.getByLabel('Navn').inputValue(), 'CVR-robot', 'what was typed is kept');
    assert.ok(await kept.getByLabel('Tilføje og rette dataadgange').isChecked(), 'the choices are kept');
    await scanStrict(page, 'administration token with an error');
    await kept.getByLabel('Sidste dag, den virker').fill(iso(60));
    await clickAndLoad(page, kept.getByRole('button', { name: 'Lav nøglen' }));
    const secret = await page.locator('#secret').inputValue();
    assert.match(secret, /^tsk_[0-9a-f]{64}$/);
    const headers = { Authorization: `Bearer ${secret}`, 'Accept-Language': 'en' };

    const bad = await page.request.post('/api/v1/suppliers', { headers, data: { name: 'Robot ApS', cvr: '10150348' } });
    assert.equal(bad.status(), 422);
    assert.match((await bad.json()).problems[0].message, /check digit/i, 'the problem in the asked language');
    const created = await page.request.post('/api/v1/suppliers', { headers, data: { name: 'Robot Leverandør ApS', cvr: '10150345' } });
    assert.equal(created.status(), 201);
    const supplier = await created.json();
    assert.equal(supplier.verified, false);
    const verified = await page.request.post(`/api/v1/suppliers/${supplier.id}/verify`, { headers });
    assert.equal((await verified.json()).verified, true);
    const scope = await page.request.post('/api/v1/scopes', {
      headers,
      data: { code: 'ROBOT', name_da: 'Robotdata', name_en: 'Robot data', description_da: 'Fra robotten.', description_en: 'From the robot.' },
    });
    assert.equal(scope.status(), 201);
    const reading = await page.request.get('/api/v1/requests', { headers });
    assert.deepEqual((await reading.json()).items, [], 'an administration token reads no requests');

    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Leverandører' }));
    assert.match(await textOf(page.locator('table tbody tr').filter({ hasText: 'Robot Leverandør ApS' })), /Ja/);
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Dataadgange' }));
    assert.match(await textOf(page.locator('table')), /ROBOT/);
    // Retired on the page, taken back through the API.
    const robotRow = () => page.locator('table tbody tr').filter({ hasText: 'ROBOT' });
    await clickAndLoad(page, robotRow().getByRole('button', { name: 'Udfas ROBOT' }));
    assert.match(await textOf(page.locator('main')), /Dataadgangen er udfaset/);
    assert.match(await textOf(robotRow()), /Udfaset/);
    await scanStrict(page, 'scopes with a retired scope (operator)');
    const retiredScope = await (await page.request.get('/api/v1/scopes/ROBOT', { headers })).json();
    assert.equal(retiredScope.retired, true);
    const reinstated = await page.request.post('/api/v1/scopes/ROBOT/reinstate', { headers });
    assert.equal((await reinstated.json()).retired, false);
    await page.reload();
    assert.equal(await robotRow().getByRole('button', { name: 'Udfas ROBOT' }).count(), 1, 'offered again');

    await page.goto('/api-tokens');
    await clickAndLoad(page, page.locator('li.card').filter({ hasText: 'CVR-robot' }).getByRole('button', { name: /Tilbagekald/ }));
    const after = await page.request.get('/api/v1/suppliers', { headers });
    assert.equal(after.status(), 401, 'a revoked administration token is refused');
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
});

// ------------------------------------------------ shared mailboxes and approver rights

test('mailboxes 1. institution staff add a shared mailbox (a bad address first) and see who can approve', async () => {
  const { context, page } = await newPage();
  try {
    await login(page, STAFF, { axe: false });
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Fælles postkasser' }));
    assert.equal(await heading(page), 'Fælles postkasser');
    assert.match(await textOf(page.locator('main')), /kontor@g10601\.example\.dk/, 'the demo mailbox is listed');
    await scan(page, 'mailboxes: staff page');
    await page.getByLabel('Postkasse for').selectOption('institution:G10602');
    await page.getByLabel('E-mailadresse').fill('sagssystem-selvejende');
    await page.getByLabel('Betegnelse (valgfri)').fill('Sagssystem');
    await clickAndLoad(page, page.getByRole('button', { name: 'Tilføj postkasse' }));
    assert.match(await textOf(page.locator('.error-summary')), /Skriv en gyldig e-mailadresse/);
    assert.equal(await page.getByLabel('E-mailadresse').inputValue(), 'sagssystem-selvejende', 'what was typed is kept');
    assert.equal(await page.getByLabel('Betegnelse (valgfri)').inputValue(), 'Sagssystem');
    assert.equal(await page.getByLabel('Postkasse for').inputValue(), 'institution:G10602');
    await scan(page, 'mailboxes: refused address');
    await page.getByLabel('E-mailadresse').fill('sager@selvejende.example.dk');
    await clickAndLoad(page, page.getByRole('button', { name: 'Tilføj postkasse' }));
    assert.match(await textOf(page.locator('main')), /Postkassen er tilføjet\./);
    assert.match(await textOf(page.locator('main')), /sager@selvejende\.example\.dk – Sagssystem/);

    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Godkendere' }));
    assert.equal(await heading(page), 'Hvem kan godkende');
    const row = page.locator('#inst-G10602');
    assert.match(await textOf(row), /Sofie Selvejende/, 'the staff member holds the right');
    assert.match(await textOf(page.locator('main')), /Karin Kommune/, "the municipality's officer is named");
    await scan(page, 'mailboxes: approver rights');
    await page.screenshot({ path: path.join(SHOTS, 'approvers-staff.png'), fullPage: true });
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
});

test('mailboxes 2. a municipal officer adds a mailbox for the municipality', async () => {
  const { context, page } = await newPage();
  try {
    await login(page, OFFICER, { axe: false });
    await clickAndLoad(page, nav(page).getByRole('link', { name: 'Fælles postkasser' }));
    assert.match(await textOf(page.locator('main')), /dagtilbud-sager@koebenhavn\.example\.dk/);
    await page.getByLabel('E-mailadresse').fill('eskalering@koebenhavn.example.dk');
    await page.getByLabel('Påmindelser og eskaleringer').check();
    await page.getByLabel('Nye anmodninger').uncheck();
    await page.getByLabel('Tilbagetrukne anmodninger og ophørte aftaler').uncheck();
    await clickAndLoad(page, page.getByRole('button', { name: 'Tilføj postkasse' }));
    assert.match(await textOf(page.locator('main')), /Postkassen er tilføjet\./);
    const card = page.locator('li.mailbox', { hasText: 'eskalering@koebenhavn.example.dk' });
    assert.match(await textOf(card), /Påmindelser og eskaleringer/);
    assert.doesNotMatch(await textOf(card), /Nye anmodninger/);
    await scan(page, 'mailboxes: officer page');
    await logout(page, { axe: false });
  } finally {
    await context.close();
  }
  assert.deepEqual(seriousFindings('mailboxes:'), [], 'no serious or critical axe findings on the mailbox pages');
});
