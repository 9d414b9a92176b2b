// The server's web root (src/http/static.c): media types, cache headers, 304, the
// single-page-application fallback, and no way out of the root (.., %2e%2e, symlinks).
// run.sh serves a copy of web/dist with two symlinks that point out of it:
//   leak.txt -> a file outside the root holding E2E_SECRET; assets/leak.js -> the same file.
import http from 'node:http';
import { readdirSync } from 'node:fs';
import { BASE, check, test } from './lib.mjs';

const SECRET = process.env.E2E_SECRET ?? 'e2e-secret-outside-the-web-root';
const ROOT = process.env.E2E_WEB_ROOT ?? '';

/** One request with the path sent exactly as given (no normalisation of .. or %2e). */
function raw(method, path, headers = {}) {
  const u = new URL(BASE);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('static: index.html, its headers, ETag and 304', async () => {
  const r = await raw('GET', '/');
  check(r.status === 200, `GET / is ${r.status}`);
  check(r.headers['content-type'] === 'text/html; charset=utf-8', `content-type ${r.headers['content-type']}`);
  check(r.headers['cache-control'] === 'no-cache', `cache-control ${r.headers['cache-control']}`);
  check(r.headers['content-security-policy'] === "default-src 'self'", 'the CSP header is there');
  check(r.headers['x-content-type-options'] === 'nosniff', 'nosniff');
  check(r.headers['x-frame-options'] === 'DENY', 'X-Frame-Options');
  check(/<div id="app">/.test(r.body), 'the body is the application page');
  check(!/<script(?![^>]*\bsrc=)[^>]*>/.test(r.body), 'index.html has no inline script (CSP)');
  check(!/\sstyle=/.test(r.body) && !/<style/.test(r.body), 'index.html has no inline style (CSP)');
  const etag = r.headers.etag;
  check(!!etag, 'an ETag');
  const again = await raw('GET', '/', { 'If-None-Match': etag });
  check(again.status === 304 && again.body === '', `If-None-Match gives ${again.status}`);
  const head = await raw('HEAD', '/');
  check(head.status === 200 && head.body === '', 'HEAD / is 200 without a body');
});

test('static: hashed assets are immutable, with their media type', async () => {
  const assets = ROOT ? readdirSync(`${ROOT}/assets`) : [];
  const js = assets.find((f) => /^index-.*\.js$/.test(f));
  const css = assets.find((f) => f.endsWith('.css'));
  check(js && css, 'web/dist/assets has the bundle');
  const a = await raw('GET', `/assets/${js}`);
  check(a.status === 200, `GET the bundle: ${a.status}`);
  check(a.headers['content-type'] === 'text/javascript; charset=utf-8', `js content-type ${a.headers['content-type']}`);
  check(a.headers['cache-control'] === 'public, max-age=31536000, immutable', `assets cache-control ${a.headers['cache-control']}`);
  const c = await raw('GET', `/assets/${css}`);
  check(c.headers['content-type'] === 'text/css; charset=utf-8', `css content-type ${c.headers['content-type']}`);
  const f = await raw('GET', '/favicon.svg');
  check(f.status === 200 && f.headers['content-type'] === 'image/svg+xml', 'favicon.svg');
  check(f.headers['cache-control'] === 'no-cache', 'files outside /assets/ are revalidated');
});

test('static: single-page fallback, but not for the API or missing assets', async () => {
  for (const p of ['/cases/1', '/models/service-desk-automation?version=1.2.0', '/portfolio', '/no/such/screen']) {
    const r = await raw('GET', p);
    check(r.status === 200 && r.headers['content-type'].startsWith('text/html') && r.body.includes('<div id="app">'), `${p} serves index.html (${r.status})`);
  }
  const api = await raw('GET', '/api/v1/no-such-thing');
  check(api.status === 404 && api.headers['content-type'] === 'application/problem+json', `an unknown API path is a problem (${api.status})`);
  const apiRoot = await raw('GET', '/api');
  check(apiRoot.status === 404 && apiRoot.headers['content-type'] === 'application/problem+json', '/api is not the UI');
  const health = await raw('GET', '/healthz');
  check(health.status === 200 && health.headers['content-type'] === 'application/json', '/healthz is the API');
  const metrics = await raw('GET', '/metrics');
  check(metrics.status === 200 && metrics.headers['content-type'].startsWith('text/plain'), '/metrics is the API');
  const asset = await raw('GET', '/assets/no-such-file.js');
  check(asset.status === 404 && asset.headers['content-type'] === 'application/problem+json', `a missing asset is 404 (${asset.status})`);
  const post = await raw('POST', '/cases/1');
  check(post.status === 404, `POST to a UI path is 404 (${post.status})`);
});

test('static: no path leads out of the web root', async () => {
  const paths = [
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
    '/assets/..%2f..%2f..%2f..%2fetc/passwd',
    '/assets/../../../../etc/passwd',
    '/./index.html',
    '/.hidden',
    '/assets/%2e%2e/index.html',
    '/..',
    '/..%5c..%5cetc%5cpasswd',
  ];
  for (const p of paths) {
    const r = await raw('GET', p);
    check(r.status === 404, `${p} is ${r.status}, not 404`);
    check(!r.body.includes('root:'), `${p} leaks /etc/passwd`);
  }
  // symlinks inside the root that point outside it
  const leak = await raw('GET', '/leak.txt');
  check(!leak.body.includes(SECRET), '/leak.txt (a symlink out of the root) leaks the file it points to');
  check(leak.headers['content-type']?.startsWith('text/html') || leak.status === 404, `/leak.txt is ${leak.status}`);
  const leakAsset = await raw('GET', '/assets/leak.js');
  check(leakAsset.status === 404 && !leakAsset.body.includes(SECRET), `/assets/leak.js is ${leakAsset.status}`);
});
