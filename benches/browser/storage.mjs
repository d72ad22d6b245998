#!/usr/bin/env node
// Storage benchmark (a benchmark, not a test: it prints figures): the release build in headless
// Chromium through playwright-core, on a library written straight into IndexedDB in the app's
// record format (schema 4, src/persist/record.rs; checked against the source's SCHEMA).
//   - reload of a 500-document / 200,000-annotation library: time until the current document's
//     400 annotations and the 500 documents are listed, and memory (JS heap + wasm) then;
//   - one more annotation on a document of 10,000: the main thread's share of its save (the
//     user-timing measure `marginalia:save`: what changed, and its records) and the time until
//     it is committed (`data-saved`);
//   - the cross-tab delay: an annotation made in one tab until the other tab lists it.
// Prints a markdown table (run.sh appends it to results.md).
//   node storage.mjs --dist DIR [--base /marginalia/] [--reps 5]
//   --base: the build's --public-url (the app is served there; default /)
import http from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { resolve, join, extname } from 'node:path';
import { chromium } from 'playwright-core';

const argv = process.argv.slice(2);
const arg = (name, def) => {
  const i = argv.lastIndexOf('--' + name); // the last wins: run.sh's defaults come first
  return i >= 0 ? argv[i + 1] : def;
};
const DIST = resolve(arg('dist', '../../dist'));
const BASE = arg('base', '/').replace(/\/?$/, '/');
const REPS = Number(arg('reps', '5'));
const DOCS = 500, PER_DOC = 400, BIG = 10000;
// The record layout seed() writes; the app must be at the same schema (an older one it would
// read too, but the figures are for what the app writes today).
const SCHEMA = 4;
const source = new URL('../../src/persist/record.rs', import.meta.url);
const appSchema = Number(/pub const SCHEMA: u32 = (\d+);/.exec(readFileSync(source, 'utf8'))?.[1]);
if (appSchema !== SCHEMA) {
  console.error(`storage.mjs writes schema ${SCHEMA} records but src/persist/record.rs says SCHEMA = ${appSchema}: update seed()`);
  process.exit(2);
}
const MB = 2 ** 20; // as run.mjs

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm' };
const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const inDist = path.startsWith(BASE) ? path.slice(BASE.length) : path;
  let file = join(DIST, inDist === '' ? 'index.html' : inDist);
  if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const URL_ = `http://127.0.0.1:${server.address().port}${BASE}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.addInitScript(() => {
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail?.wasm?.memory ?? null; });
});
const page = await context.newPage();
// Memory as run.mjs counts it: the JS heap after a forced GC, plus wasm linear memory, in MB.
const cdp = await context.newCDPSession(page);
const memoryMB = async () => {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return (usedSize + await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0)) / MB;
};
await page.goto(URL_);
await page.waitForSelector('[data-testid=article] p');

// Seeds `docs` documents of `per` annotations each (and one of BIG), in the records' format.
async function seed(page, docs, per, big) {
  return page.evaluate(async ({ docs, per, big, schema }) => {
    const rev = { time: 1, tab: 1 };
    const record = (key, value) => JSON.stringify({ key, rev, schema, value });
    const id = (n) => (n.toString(16).padStart(8, '0')).repeat(8);
    const textOf = (n) => Array.from({ length: n }, (_, i) => 'w' + String(i).padStart(6, '0')).join(' ');
    const db = await new Promise((done) => { const o = indexedDB.open('marginalia-records'); o.onsuccess = () => done(o.result); });
    const write = (entries) => new Promise((done, fail) => {
      const t = db.transaction('records', 'readwrite');
      const store = t.objectStore('records');
      for (const [key, value] of entries) store.put(record(key, value), key);
      t.oncomplete = done; t.onabort = () => fail(t.error);
    });
    const document = (d, count, name) => {
      const doc = id(d + 1);
      const entries = [[`doc/${doc}`, { name, done: false, trashed: false, order: d + 10 }],
        [`count/${doc}`, count], [`text/${doc}`, textOf(count)]];
      for (let i = 0; i < count; i++) {
        const a = `a${i}`;
        entries.push([`ann/${doc}/${a}`, { id: a, start: i * 8, end: i * 8 + 7, tag: ['claim', 'quote', 'condition'][i % 3],
          created: '2026-12-01T00:00:00.000Z', modified: '2026-12-01T00:00:00.000Z' }]);
      }
      return [doc, entries];
    };
    for (let d = 0; d < docs; d += 25) {
      const entries = [];
      for (let k = d; k < Math.min(docs, d + 25); k++) entries.push(...document(k, per, `doc-${k}.txt`)[1]);
      await write(entries);
    }
    const [bigId, bigEntries] = document(docs, big, 'big.txt');
    await write(bigEntries);
    db.close();
    return { first: id(1), big: bigId };
  }, { docs, per, big, schema: SCHEMA });
}

const listed = (count, docs) => page.waitForFunction(({ count, docs }) =>
  document.querySelector('[data-testid=annotation-list]')?.dataset.count === String(count)
  && document.querySelectorAll('[data-testid=document]').length === docs, { count, docs }, { timeout: 120000, polling: 'raf' });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const ids = await seed(page, DOCS, PER_DOC, BIG);
const allDocs = DOCS + 2; // the sample, the seeded ones, the big one

// 1. Reload of the whole library.
const reloads = [], heaps = [];
for (let rep = 0; rep < REPS; rep++) {
  await page.evaluate((first) => localStorage.setItem('marginalia:setting:current', first), ids.first);
  await page.reload();
  await listed(PER_DOC, allDocs);
  reloads.push(await page.evaluate(() => performance.now()));
  heaps.push(await memoryMB());
}

// 2. One more annotation on a document of 10,000.
await page.evaluate((big) => localStorage.setItem('marginalia:setting:current', big), ids.big);
await page.reload();
await listed(BIG, allDocs);
const addOne = (page, at) => page.evaluate(async (at) => {
  const count = () => +document.querySelector('[data-testid=annotation-list]').dataset.count;
  // Word `at` of the text, inside its paragraph (one paragraph: the text has no blank line).
  const paragraph = document.querySelector('[data-testid=article] [data-offset]');
  const range = document.createRange();
  range.setStart(paragraph.firstChild, at * 8);
  range.setEnd(paragraph.firstChild, at * 8 + 3);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  await new Promise((done) => requestAnimationFrame(done));
  const before = count();
  window.__made = Date.now();
  const start = performance.now();
  document.body.dispatchEvent(new KeyboardEvent('keydown', { key: '1', bubbles: true }));
  while (count() !== before + 1) await new Promise((done) => setTimeout(done, 0));
  while (document.documentElement.dataset.saved !== 'true') await new Promise((done) => setTimeout(done, 1));
  return [performance.getEntriesByName('marginalia:save', 'measure').at(-1)?.duration ?? NaN, performance.now() - start];
}, at);
const saves = [], committed = [];
for (let rep = 0; rep < REPS; rep++) {
  const [save, done] = await addOne(page, 20 + rep * 97);
  saves.push(save);
  committed.push(done);
}
const bigMemory = await memoryMB();

// 3. Cross-tab delay: the second tab lists what the first made.
const other = await context.newPage();
await other.goto(URL_);
await other.waitForFunction((big) => +(document.querySelector('[data-testid=annotation-list]')?.dataset.count ?? 0) >= big
  && document.querySelector('[data-testid=document][aria-current=true]')?.dataset.name === 'big.txt', BIG, { timeout: 120000 });
const delays = [];
for (let rep = 0; rep < REPS; rep++) {
  const before = await other.evaluate(() => +document.querySelector('[data-testid=annotation-list]').dataset.count);
  await other.evaluate((before) => {
    window.__seen = null;
    const list = document.querySelector('[data-testid=annotation-list]');
    const observer = new MutationObserver(() => {
      if (+list.dataset.count > before) { window.__seen = Date.now(); observer.disconnect(); }
    });
    observer.observe(list, { attributes: true });
  }, before);
  await addOne(page, 5000 + rep * 13);
  const made = await page.evaluate(() => window.__made);
  await other.waitForFunction(() => window.__seen !== null, null, { timeout: 30000 });
  delays.push((await other.evaluate(() => window.__seen)) - made);
}

const row = (what, xs, digits) => `| ${what} | ${median(xs).toFixed(digits)} | ${Math.min(...xs).toFixed(digits)} | ${Math.max(...xs).toFixed(digits)} | ${xs.length} |`;
console.log([
  `Storage (storage.mjs): ${REPS} reps, headless Chromium ${browser.version()}, a library written as schema ${SCHEMA} records; memory = JS heap after a forced GC + wasm, MB = 2^20 B.`,
  '',
  '| figure | median | min | max | n |',
  '|---|---|---|---|---|',
  row(`reload of ${DOCS} documents / ${DOCS * PER_DOC + BIG} annotations, until listed ms`, reloads, 0),
  row('memory after that reload MB', heaps, 1),
  row(`save of one more annotation at ${BIG}, main thread ms`, saves, 2),
  row(`the same, until committed (data-saved) ms`, committed, 1),
  row(`memory at ${BIG} annotations MB`, [bigMemory], 1),
  row('cross-tab delay (made in one tab → listed in the other) ms', delays, 0),
].join('\n'));
await browser.close();
server.close();
