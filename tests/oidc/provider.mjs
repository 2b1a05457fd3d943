// Local OpenID Connect provider for Tilslutning integration tests.
// See README.md in this folder for the env vars and the browser-less HTTP sequences.
import { randomBytes } from 'node:crypto';
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

// stdout carries exactly one line ("ready <issuer>") for the test harness;
// oidc-provider prints its NOTICEs via console.info, so send those to stderr.
console.info = (...args) => console.error(...args);
console.log = (...args) => console.error(...args);

function fail(msg) {
  process.stderr.write(`oidc test provider: ${msg}\n`);
  process.exit(2);
}

function list(name) {
  return (process.env[name] || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------- config (env)
if (process.env.PORT === undefined || process.env.PORT === '') fail('PORT is required (0 = pick a free port)');
const PORT = Number(process.env.PORT);
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) fail(`invalid PORT ${process.env.PORT}`);
const CLIENT_ID = process.env.CLIENT_ID || fail('CLIENT_ID is required');
const CLIENT_SECRET = process.env.CLIENT_SECRET || fail('CLIENT_SECRET is required');
// LOOPBACK_CLIENTS=1: one provider serves many portals started by the tests on free
// loopback ports, so any http://127.0.0.1:<port>/auth/oidc/callback is accepted as a
// redirect URI (and http://127.0.0.1:<port>/login?notice=signed-out after logout).
const LOOPBACK_CLIENTS = process.env.LOOPBACK_CLIENTS === '1';
const LOOPBACK_CALLBACK = /^http:\/\/127\.0\.0\.1:\d{1,5}\/auth\/oidc\/callback$/;
const LOOPBACK_LOGGED_OUT = /^http:\/\/127\.0\.0\.1:\d{1,5}\/login\?notice=signed-out$/;
const REDIRECT_URIS = list('REDIRECT_URIS');
if (REDIRECT_URIS.length === 0 && !LOOPBACK_CLIENTS) fail('REDIRECT_URIS is required (comma-separated)');
if (REDIRECT_URIS.length === 0) REDIRECT_URIS.push('http://127.0.0.1:1/auth/oidc/callback');
const POST_LOGOUT_REDIRECT_URIS = list('POST_LOGOUT_REDIRECT_URIS');

const HOST = '127.0.0.1';
const SCOPES = 'openid email profile organisation';
const MODES = new Set([
  'normal', 'tamper', 'expired', 'wrong_nonce', 'wrong_audience', 'wrong_issuer', 'userinfo_only',
  'future_iat', 'future_nbf', 'foreign_azp', 'slight_skew', 'own_azp',
]);

// ---------------------------------------------------------------- test state
/** sub -> registered claims (from POST /__test/accounts) */
const accounts = new Map();
let mode = 'normal';
/** sub -> mode, so tests running side by side each misbehave only for their own account */
const modesBySub = new Map();

function claimsFor(sub) {
  const reg = accounts.get(sub);
  if (reg) {
    const out = {
      sub,
      email: reg.email ?? (sub.includes('@') ? sub : `${sub}@idp.test`),
      email_verified: reg.email_verified ?? true,
      name: reg.name ?? sub,
    };
    if (reg.organisation !== undefined && reg.organisation !== null) out.organisation = String(reg.organisation);
    return out;
  }
  return {
    sub,
    email: sub.includes('@') ? sub : `${sub}@idp.test`,
    email_verified: true,
    name: sub,
  };
}

// ---------------------------------------------------------------- keys
// The signing key is generated here (not by oidc-provider) so that the
// mischief middleware can re-sign ID tokens with the provider's real key.
const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), alg: 'RS256', use: 'sig' };
signingJwk.kid = await jose.calculateJwkThumbprint(signingJwk);
const cookieKeys = [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];

// ---------------------------------------------------------------- helpers
async function readJson(ctx, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += chunk.length;
    if (size > limit) ctx.throw(413, 'body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    ctx.throw(400, 'invalid JSON body');
  }
  return undefined;
}

const b64json = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
const unb64json = (s) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));

async function resign(header, payload) {
  return new jose.SignJWT(payload).setProtectedHeader(header).sign(privateKey);
}

async function mischief(idToken, currentMode) {
  const [h, p, s] = idToken.split('.');
  const header = unb64json(h);
  const payload = unb64json(p);
  const now = Math.floor(Date.now() / 1000);
  switch (currentMode) {
    case 'tamper': {
      // payload altered, original signature kept -> signature check must fail
      const altered = { ...payload, sub: `${payload.sub}-tampered`, email: 'attacker@evil.test' };
      return `${h}.${b64json(altered)}.${s}`;
    }
    case 'expired':
      return resign(header, { ...payload, iat: now - 3600 - 60, exp: now - 3600 });
    case 'wrong_nonce':
      return resign(header, { ...payload, nonce: `wrong-${randomBytes(8).toString('hex')}` });
    case 'wrong_audience':
      return resign(header, { ...payload, aud: 'someone-else' });
    case 'userinfo_only': {
      // a provider that keeps email and profile claims for the userinfo endpoint
      const { email, email_verified: verified, name, organisation, ...rest } = payload;
      return resign(header, rest);
    }
    case 'wrong_issuer':
      return resign(header, { ...payload, iss: 'http://127.0.0.1:1' });
    case 'future_iat':
      // issued ten minutes from now (a provider whose clock runs ahead, or a forged time)
      return resign(header, { ...payload, iat: now + 600, exp: now + 600 + 3600 });
    case 'future_nbf':
      return resign(header, { ...payload, nbf: now + 600 });
    case 'foreign_azp':
      // our audience, but authorized for another client
      return resign(header, { ...payload, azp: 'someone-else' });
    case 'slight_skew':
      // within the minute of clock skew a relying party allows
      return resign(header, { ...payload, iat: now + 20, nbf: now + 20 });
    case 'own_azp':
      return resign(header, { ...payload, azp: CLIENT_ID });
    default:
      return idToken;
  }
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// ---------------------------------------------------------------- server
// Listen first so PORT=0 resolves to a real port, then build the issuer from it.
let handler = (req, res) => {
  res.statusCode = 503;
  res.end('starting');
};
const server = http.createServer((req, res) => handler(req, res));
server.keepAliveTimeout = 1000;
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(PORT, HOST, resolve);
});
const { port } = server.address();
const ISSUER = `http://${HOST}:${port}`;

const provider = new Provider(ISSUER, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    application_type: 'web', // http redirect URIs are allowed for web clients without implicit flow
    token_endpoint_auth_method: 'client_secret_basic', // client_secret_post is accepted too by oidc-provider
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingJwk] },
  cookies: { keys: cookieKeys },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    organisation: ['organisation'],
  },
  scopes: ['openid'],
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 3600,
    Session: 24 * 3600,
    Grant: 24 * 3600,
  },
  // put scope-requested claims into the ID token even though an access token is issued too
  conformIdTokenClaims: false,
  // PKCE: oidc-provider 9's default requires it only for public clients; require it always.
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        // `form` is <form id="op.logoutForm" method="post" action=".../session/end/confirm">
        //   <input type="hidden" name="xsrf" value="..."/></form>
        const withYes = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/><button type="submit">Yes, sign me out</button></form>');
        ctx.type = 'html';
        ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Logout Request</title></head><body><h1>Sign out from ${esc(ctx.host)}?</h1>${withYes}</body></html>`;
      },
      async postLogoutSuccessSource(ctx) {
        ctx.type = 'html';
        ctx.body = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signed out</title></head><body><h1>Signed out</h1></body></html>';
      },
    },
    userinfo: { enabled: true },
  },
  // skip the consent prompt: our single first-party client is always granted all our scopes
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
    let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    if (!grant && client.clientId !== CLIENT_ID) return undefined;
    if (!grant) grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope(SCOPES);
    await grant.save();
    return grant;
  },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return claimsFor(sub);
      },
    };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>error</title></head><body><h1>error</h1>${
      Object.entries(out).map(([k, v]) => `<pre><strong>${esc(k)}</strong>: ${esc(v)}</pre>`).join('')}</body></html>`;
  },
});

// test control endpoints + mischief; provider.use() places these before the OIDC router
provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/health' && ctx.method === 'GET') {
    ctx.type = 'text/plain';
    ctx.body = 'ok';
    return;
  }
  if (ctx.path === '/__test/accounts' && ctx.method === 'POST') {
    const body = await readJson(ctx);
    if (!body || typeof body !== 'object' || typeof body.sub !== 'string' || body.sub === '') {
      ctx.status = 400;
      ctx.body = { error: 'body must be a JSON object with a non-empty string "sub"' };
      return;
    }
    const { sub, email, email_verified: emailVerified, name, organisation } = body;
    accounts.set(sub, {
      email, email_verified: emailVerified, name, organisation,
    });
    ctx.body = { ok: true, claims: claimsFor(sub) };
    return;
  }
  if (ctx.path === '/__test/mode') {
    if (ctx.method === 'POST') {
      const body = await readJson(ctx);
      if (!body || !MODES.has(body.mode)) {
        ctx.status = 400;
        ctx.body = { error: `mode must be one of ${[...MODES].join(', ')}` };
        return;
      }
      if (typeof body.sub === 'string' && body.sub !== '') {
        modesBySub.set(body.sub, body.mode);
      } else {
        mode = body.mode;
      }
      ctx.body = { ok: true, mode: body.mode, sub: body.sub ?? null };
      return;
    }
    if (ctx.method === 'GET') {
      ctx.body = { mode };
      return;
    }
  }

  await next();

  if (ctx.method === 'POST' && ctx.path === '/token'
    && ctx.status === 200 && ctx.body && typeof ctx.body.id_token === 'string') {
    const { sub } = unb64json(ctx.body.id_token.split('.')[1]);
    const current = modesBySub.get(sub) ?? mode;
    if (current !== 'normal') {
      ctx.body = { ...ctx.body, id_token: await mischief(ctx.body.id_token, current) };
    }
  }
  // make the logout xsrf value trivially readable for plain HTTP clients
  if (ctx.method === 'GET' && ctx.path === '/session/end' && ctx.status === 200) {
    const secret = ctx.oidc?.session?.state?.secret;
    if (secret) ctx.set('X-Logout-Xsrf', secret);
  }
});

if (LOOPBACK_CLIENTS) {
  const { prototype } = provider.Client;
  const redirectUriAllowed = prototype.redirectUriAllowed;
  const postLogoutRedirectUriAllowed = prototype.postLogoutRedirectUriAllowed;
  prototype.redirectUriAllowed = function allowed(value) {
    return LOOPBACK_CALLBACK.test(value) || redirectUriAllowed.call(this, value);
  };
  prototype.postLogoutRedirectUriAllowed = function allowed(value) {
    return LOOPBACK_LOGGED_OUT.test(value) || postLogoutRedirectUriAllowed.call(this, value);
  };
}

handler = provider.callback();

process.stdout.write(`ready ${ISSUER}\n`);

// ---------------------------------------------------------------- shutdown
let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// EXIT_WITH_STDIN=1: the test process holds our stdin; when it ends, so do we.
if (process.env.EXIT_WITH_STDIN === '1') {
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.stdin.resume();
}
