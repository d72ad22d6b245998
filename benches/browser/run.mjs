#!/usr/bin/env node
// Peer benchmark runner: serves this folder on 127.0.0.1, drives headless Chromium
// (Debian /usr/bin/chromium) through playwright-core, writes JSON + a markdown table.
//   node run.mjs --out results.json [--sizes 10000,100000,1000000] [--reps 5]
//                [--counts 1000,10000] [--ones 20] [--peers a,b] [--ref css-highlights]
//                [--step-timeout 300] [--unlimited-fps] [--screenshots DIR]
import http from 'node:http';
import { createReadStream, readFileSync, statSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve, join, extname, dirname, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { ensureArticle } from './gen.mjs';
import PEERS from './peers.config.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (name, def) => {
  const i = argv.lastIndexOf('--' + name); // the last wins: run.sh's defaults come first
  return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : def;
};
const flag = (name) => argv.includes('--' + name);
const OUT = resolve(arg('out', 'results.json'));
const SIZES = arg('sizes', '10000,100000,1000000').split(',').map(Number);
const REPS = Number(arg('reps', '5'));
const COUNTS = arg('counts', '1000,10000').split(',').map(Number);
const ONES = Number(arg('ones', '20'));
const EDITS = Number(arg('edits', '10')); // retag/delete/undo rounds per page
const EDIT_OPS = ['retag', 'remove', 'undo'];
const STEP_TIMEOUT = Number(arg('step-timeout', '300')) * 1000;
const REF = arg('ref', 'css-highlights');
const CHROME = arg('chromium', '/usr/bin/chromium');
const SHOTS = arg('screenshots', null); // folder: one PNG per peer/size/count (rep 1)
const peerNames = arg('peers', null);
const peers = peerNames ? peerNames.split(',').map((n) => {
  const p = PEERS.find((x) => x.name === n);
  if (!p) throw new Error(`unknown peer ${n}; known: ${PEERS.map((x) => x.name).join(', ')}`);
  return p;
}) : PEERS;

// ---------------------------------------------------------------- static server
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };
const mounts = [['/', HERE]];
for (const p of peers) for (const [pre, dir] of Object.entries(p.mount || {})) {
  mounts.push([pre.endsWith('/') ? pre : pre + '/', isAbsolute(dir) ? dir : resolve(HERE, dir)]);
}
mounts.sort((a, b) => b[0].length - a[0].length);
function startServer() {
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/favicon.ico') { res.writeHead(204).end(); return; }
    const [pre, dir] = mounts.find(([p]) => path.startsWith(p));
    let file = resolve(dir, '.' + path.slice(pre.length - 1));
    if (relative(dir, file).startsWith('..')) { res.writeHead(403).end(); return; }
    try { if (statSync(file).isDirectory()) file = join(file, 'index.html'); } catch {}
    if (!existsSync(file)) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream',
      'content-length': statSync(file).size, 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

// ---------------------------------------------------------------- bundle sizes
async function bundleSizes() {
  let esbuild = null;
  try { esbuild = await import('esbuild'); } catch {}
  const out = {};
  for (const p of peers) {
    const files = [];
    for (const f of p.bundle || []) {
      const abs = isAbsolute(f) ? f : resolve(HERE, f);
      if (!existsSync(abs)) { files.push({ file: f, missing: true }); continue; }
      const raw = readFileSync(abs);
      let min = raw;
      const ext = extname(abs);
      if (esbuild && (ext === '.js' || ext === '.css')) {
        min = Buffer.from((await esbuild.transform(raw.toString(), { loader: ext.slice(1), minify: true })).code);
      }
      files.push({ file: f, raw: raw.length, min: min.length, gzip: gzipSync(min, { level: 9 }).length });
    }
    const sum = (k) => files.reduce((s, x) => s + (x[k] || 0), 0);
    out[p.name] = { files, raw: sum('raw'), min: sum('min'), gzip: sum('gzip') };
  }
  // Extra: what an app bundler would ship for `import { createTextAnnotator }` (ESM, tree-shaken).
  if (esbuild && existsSync(resolve(HERE, 'node_modules/@recogito/text-annotator'))) {
    const r = await esbuild.build({
      stdin: { contents: "import { createTextAnnotator } from '@recogito/text-annotator'; window.createTextAnnotator = createTextAnnotator;", resolveDir: HERE, loader: 'js' },
      bundle: true, minify: true, write: false, format: 'iife', logLevel: 'silent',
      loader: { '.css': 'empty' },
    });
    const code = r.outputFiles[0].contents;
    out['recogito (esbuild ESM tree-shaken, JS only)'] = { raw: null, min: code.length, gzip: gzipSync(code, { level: 9 }).length };
  }
  return out;
}

// ---------------------------------------------------------------- stats
const median = (a) => { const s = [...a].sort((x, y) => x - y); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN; };
const stat = (a) => { const v = a.filter((x) => Number.isFinite(x)); return v.length ? { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length } : null; };
const withTimeout = (p, ms, what) => {
  let t;
  return Promise.race([p, new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`timeout ${ms / 1000}s: ${what}`)), ms); })]).finally(() => clearTimeout(t));
};

// ---------------------------------------------------------------- one page run
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ...(flag('unlimited-fps') ? ['--disable-gpu-vsync', '--disable-frame-rate-limit'] : [])];

// Every file a page fetched (the article aside): its path, and whether it was requested
// before the article was shown (first load) or later. Bodies are kept by path in BODIES and
// gzipped once at the end, not while pages are measured.
const BODIES = new Map();
function recordFetches(page) {
  const fetched = [];
  page.on('requestfinished', (r) => fetched.push((async () => {
    const url = new URL(r.url()).pathname;
    if (url.startsWith('/articles/')) return null;
    const body = await (await r.response())?.body();
    if (body) BODIES.set(url, body);
    return { url, at: r.timing().startTime, bytes: body?.length ?? 0 };
  })().catch(() => null)));
  // `readyAt`: the page's ready time as epoch ms (what request start times are).
  return async (readyAt) => (await Promise.all(fetched)).filter(Boolean)
    .map(({ url, at, bytes }) => ({ url, bytes, first: at <= readyAt }));
}

// A fresh context (no cache, service workers blocked: the app's would precache its files in the
// middle of a measure) with the harness and the peer's init scripts, on the peer's page with
// the article of `words`; resolves once the peer says it is ready.
async function openPage(browser, base, peer, words, rec) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  await ctx.addInitScript({ path: resolve(HERE, 'harness/driver.js') });
  for (const script of peer.initScripts || []) await ctx.addInitScript({ path: resolve(HERE, script) });
  const page = await ctx.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  const fetches = recordFetches(page);
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.send('Performance.enable');
  const sep = peer.url.includes('?') ? '&' : '?';
  await page.goto(`${base}${peer.url}${sep}benchArticle=/articles/words-${words}.txt`, { waitUntil: 'commit', timeout: STEP_TIMEOUT });
  rec.readyMs = await withTimeout(page.evaluate(() => window.__bench.ready), STEP_TIMEOUT, 'ready');
  const readyAt = await page.evaluate(() => performance.timeOrigin + window.__bench.readyMs);
  const finish = async () => {
    rec.requests = await fetches(readyAt);
    rec.errors = [...consoleErrors, ...(await page.evaluate(() => window.__bench.errors))];
  };
  return { ctx, page, cdp, finish };
}

// First import (peers with `firstImport: N` in peers.config): a fresh page, and as soon as it
// is ready one import of N annotations, timed from choosing the file until the list counts
// them (the import may wait for a module fetched on first use); with the app's user timing
// `marginalia:worker-ready` (fetching and starting that module) when it has one.
async function firstImport(browser, base, peer, words) {
  const rec = {};
  let ctx;
  try {
    let page, finish;
    ({ ctx, page, finish } = await openPage(browser, base, peer, words, rec));
    Object.assign(rec, await withTimeout(page.evaluate(async (n) => {
      const list = window.__bench.makeSpans(n, 7, 'f');
      const t0 = performance.now();
      await window.benchPeer.addAnnotations(list);
      const importMs = performance.now() - t0;
      const moduleWaitMs = performance.getEntriesByName('marginalia:worker-ready', 'measure').at(-1)?.duration ?? null;
      return { importMs, moduleWaitMs };
    }, peer.firstImport), STEP_TIMEOUT, 'first import'));
    await finish();
  } catch (e) {
    rec.error = String(e.message || e).split('\n')[0];
  } finally {
    await ctx?.close().catch(() => {});
  }
  return rec;
}

async function runPage(browser, base, peer, words, count, rep) {
  const rec = { peer: peer.name, words, count };
  let ctx;
  try {
    let page, cdp, finish;
    ({ ctx, page, cdp, finish } = await openPage(browser, base, peer, words, rec));
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const h = await cdp.send('Runtime.getHeapUsage');
      const m = await cdp.send('Performance.getMetrics');
      const nodes = m.metrics.find((x) => x.name === 'Nodes')?.value;
      return { usedMB: h.usedSize / 2 ** 20, nodes };
    };
    rec.readyCpuMs = (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'ThreadTime')?.value * 1000;
    rec.loadCallMs = await page.evaluate(() => window.__bench.loadCallMs);
    rec.chars = await page.evaluate(() => window.__bench.chars);
    rec.heapLoad = await heap();
    const ef = await page.evaluate(() => window.__bench.emptyFrames(10));
    rec.emptyDrawnMs = median(ef.drawnMs);
    rec.emptyRaf2Ms = median(ef.raf2Ms);
    const cpu = async () => (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'ThreadTime')?.value * 1000;
    const c0 = await cpu();
    rec.bulk = await withTimeout(page.evaluate((n) => window.__bench.bulk(n), count), STEP_TIMEOUT, `bulk ${count}`);
    rec.bulk.cpuMs = (await cpu()) - c0; // renderer main-thread CPU time for the whole bulk step
    const c1 = await cpu();
    rec.ones = await withTimeout(page.evaluate((k) => window.__bench.addOnes(k), ONES), STEP_TIMEOUT, 'addOne');
    rec.onesCpuMsEach = ((await cpu()) - c1) / ONES; // main-thread CPU per add (incl. the idle frames' own work)
    rec.oneMedianMs = median(rec.ones.drawnMs);
    rec.oneSyncMedianMs = median(rec.ones.syncMs);
    rec.oneRaf2MedianMs = median(rec.ones.raf2Ms);
    // One more relation (peers that have them): select, r, j, then the timed Enter -> drawn.
    rec.relations = await withTimeout(page.evaluate(async (k) => {
      if (!window.benchPeer.addRelation) return null;
      const drawnMs = [];
      for (let n = 0; n < k; n++) {
        await window.benchPeer.prepareRelation();
        await window.__bench.raf2();
        const before = window.benchPeer.relationCount();
        const timing = await window.__bench.timed(() => window.benchPeer.addRelation());
        if (window.benchPeer.relationCount() > before) drawnMs.push(timing.drawnMs);
      }
      return drawnMs;
    }, 10), STEP_TIMEOUT, 'addRelation');
    rec.relationMedianMs = rec.relations ? median(rec.relations) : null;
    // Retag, delete, undo (peers that edit): an annotation selected, then each timed key from
    // a frame start until the change is drawn, like +1.
    rec.edits = await withTimeout(page.evaluate(async ([k, ops]) => {
      const peer = window.benchPeer;
      if (!peer.select) return null;
      const out = Object.fromEntries(ops.map((op) => [op, []]));
      for (let n = 0; n < k; n++) {
        await peer.select();
        for (const op of ops) {
          await window.__bench.raf2();
          out[op].push((await window.__bench.timed(() => peer[op]())).drawnMs);
        }
      }
      return out;
    }, [EDITS, EDIT_OPS]), STEP_TIMEOUT, 'edits');
    for (const op of EDIT_OPS) rec[`${op}MedianMs`] = rec.edits ? median(rec.edits[op]) : null;
    // Suggestions (peers that suggest): turned on, until those in view are shown.
    rec.suggestMs = await withTimeout(page.evaluate(async () => {
      if (!window.benchPeer.suggestInView) return null;
      return window.benchPeer.suggestInView();
    }), STEP_TIMEOUT, 'suggest');
    // Autosave: main-thread time the peer spent saving its last change (peers that save).
    rec.saveMs = await page.evaluate(() => (window.benchPeer.lastSaveMs ? window.benchPeer.lastSaveMs() : null));
    // Export W3C of everything held (peers that export): call until the file is made.
    rec.exportMs = await withTimeout(page.evaluate(async () => {
      if (!window.benchPeer.exportW3C) return null;
      const t0 = performance.now();
      await window.benchPeer.exportW3C();
      return performance.now() - t0;
    }), STEP_TIMEOUT, 'export');
    // Scroll from top to bottom in 120 steps, one per frame: the longest frame (rAF to rAF).
    rec.scroll = await withTimeout(page.evaluate(async () => {
      const el = window.benchPeer.scrollElement ? window.benchPeer.scrollElement() : document.scrollingElement;
      el.scrollTop = 0;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const steps = 120, frames = [];
      let last = await new Promise((r) => requestAnimationFrame(r));
      for (let i = 1; i <= steps; i++) {
        el.scrollTop = ((el.scrollHeight - el.clientHeight) * i) / steps;
        const now = await new Promise((r) => requestAnimationFrame(r));
        frames.push(now - last);
        last = now;
      }
      frames.sort((a, b) => a - b);
      return { maxFrameMs: frames[frames.length - 1], p95FrameMs: frames[Math.floor(frames.length * 0.95)] };
    }), STEP_TIMEOUT, 'scroll');
    rec.heapAfter = await heap();
    rec.wasmMB = await page.evaluate(() => (window.benchPeer.wasmMemoryBytes ? window.benchPeer.wasmMemoryBytes() / 2 ** 20 : null));
    if (SHOTS && rep === 1) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${peer.name}-${words}-${count}.png`) });
    }
    rec.count_check = await page.evaluate(() => (window.benchPeer.count ? window.benchPeer.count() : null));
    await finish();
  } catch (e) {
    rec.error = String(e.message || e).split('\n')[0];
  } finally {
    await ctx?.close().catch(() => {});
  }
  return rec;
}

// ---------------------------------------------------------------- summary
const memoryMB = (r) => r.heapAfter.usedMB + (r.wasmMB ?? 0); // JS heap + wasm linear memory
function summarize(runs) {
  const groups = new Map();
  for (const r of runs) {
    const k = `${r.peer}|${r.words}|${r.count}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  const rows = [];
  for (const [k, rs] of groups) {
    const [peer, words, count] = k.split('|');
    const ok = rs.filter((r) => !r.error);
    rows.push({
      peer, words: +words, count: +count, ok: ok.length, failed: rs.length - ok.length,
      errors: [...new Set(rs.flatMap((r) => [r.error, r.firstImport?.error && `first import: ${r.firstImport.error}`]).filter(Boolean))],
      readyMs: stat(ok.map((r) => r.readyMs)),
      bulkMs: stat(ok.map((r) => r.bulk.drawnMs)),
      bulkSyncMs: stat(ok.map((r) => r.bulk.syncMs)),
      bulkRaf2Ms: stat(ok.map((r) => r.bulk.raf2Ms)),
      bulkCpuMs: stat(ok.map((r) => r.bulk.cpuMs)),
      readyCpuMs: stat(ok.map((r) => r.readyCpuMs)),
      oneCpuMs: stat(ok.map((r) => r.onesCpuMsEach)),
      oneMs: stat(ok.map((r) => r.oneMedianMs)),
      oneSyncMs: stat(ok.map((r) => r.oneSyncMedianMs)),
      oneRaf2Ms: stat(ok.map((r) => r.oneRaf2MedianMs)),
      heapLoadMB: stat(ok.map((r) => r.heapLoad.usedMB)),
      heapAfterMB: stat(ok.map((r) => r.heapAfter.usedMB)),
      wasmMB: stat(ok.map((r) => r.wasmMB).filter((x) => x != null)),
      memoryMB: stat(ok.map(memoryMB)),
      retagMs: stat(ok.map((r) => r.retagMedianMs).filter((x) => x != null)),
      removeMs: stat(ok.map((r) => r.removeMedianMs).filter((x) => x != null)),
      undoMs: stat(ok.map((r) => r.undoMedianMs).filter((x) => x != null)),
      firstImportMs: stat(ok.map((r) => r.firstImport?.importMs).filter((x) => x != null)),
      moduleWaitMs: stat(ok.map((r) => r.firstImport?.moduleWaitMs).filter((x) => x != null)),
      saveMs: stat(ok.map((r) => r.saveMs).filter((x) => x != null)),
      exportMs: stat(ok.map((r) => r.exportMs).filter((x) => x != null)),
      relationMs: stat(ok.map((r) => r.relationMedianMs).filter((x) => x != null)),
      suggestMs: stat(ok.map((r) => r.suggestMs).filter((x) => x != null)),
      scrollMaxMs: stat(ok.map((r) => r.scroll.maxFrameMs)),
      scrollP95Ms: stat(ok.map((r) => r.scroll.p95FrameMs)),
      nodesAfter: stat(ok.map((r) => r.heapAfter.nodes)),
      emptyDrawnMs: stat(ok.map((r) => r.emptyDrawnMs)),
      emptyRaf2Ms: stat(ok.map((r) => r.emptyRaf2Ms)),
    });
  }
  // same-rep ratios vs the reference peer (rep = same words/count/rep index, run back to back)
  const ratios = [];
  const ref = new Map(runs.filter((r) => r.peer === REF && !r.error).map((r) => [`${r.words}|${r.count}|${r.rep}`, r]));
  const metric = { readyMs: (r) => r.readyMs, bulkMs: (r) => r.bulk.drawnMs, bulkCpuMs: (r) => r.bulk.cpuMs, oneMs: (r) => r.oneMedianMs,
    retagMs: (r) => r.retagMedianMs, removeMs: (r) => r.removeMedianMs, undoMs: (r) => r.undoMedianMs,
    heapAfterMB: (r) => r.heapAfter.usedMB, memoryMB };
  for (const row of rows) {
    if (row.peer === REF) continue;
    const rs = runs.filter((r) => r.peer === row.peer && r.words === row.words && r.count === row.count && !r.error);
    const out = { peer: row.peer, words: row.words, count: row.count };
    for (const [m, f] of Object.entries(metric)) {
      const v = rs.map((r) => { const b = ref.get(`${r.words}|${r.count}|${r.rep}`); return b && f(r) != null && f(b) != null ? f(r) / f(b) : NaN; });
      out[m] = stat(v);
    }
    ratios.push(out);
  }
  return { rows, ratios, loads: firstLoads(runs) };
}

// Per peer, from its network: what its first successful page fetched before ready (gzip -9 of
// each body), and whatever any of its pages fetched only later (the first import's page too).
const gzipped = new Map();
const gzipOf = (url) => gzipped.get(url) ?? gzipped.set(url, gzipSync(BODIES.get(url) ?? Buffer.alloc(0), { level: 9 }).length).get(url);
function firstLoads(runs) {
  return peers.map((peer) => {
    const mine = runs.filter((r) => r.peer === peer.name && !r.error && r.requests);
    if (!mine.length) return null;
    const first = mine[0].requests.filter((q) => q.first).map((q) => ({ url: q.url, gzip: gzipOf(q.url) }));
    const seen = new Set(first.map((q) => q.url));
    const later = [];
    for (const q of mine.flatMap((r) => [...r.requests, ...(r.firstImport?.requests ?? [])])) {
      if (!seen.has(q.url)) { seen.add(q.url); later.push({ url: q.url, gzip: gzipOf(q.url) }); }
    }
    if (peer.serviceWorker && existsSync(peer.serviceWorker)) {
      later.push({ url: `${peer.serviceWorker.split('/').pop()} (service worker)`, gzip: gzipSync(readFileSync(peer.serviceWorker), { level: 9 }).length });
    }
    return { peer: peer.name, first, firstGzip: first.reduce((s, q) => s + q.gzip, 0), later, target: peer.firstLoadTargetKB };
  }).filter(Boolean);
}
const kb = (bytes) => (bytes / 1000).toFixed(1);

const f = (s, d = 1) => (s ? `${s.median.toFixed(d)} (${s.min.toFixed(d)}–${s.max.toFixed(d)})` : 'n/a');
function markdown(summary, bundles, meta) {
  const L = [];
  L.push(`Chromium ${meta.chromium}, playwright-core ${meta.playwright}, reps=${meta.reps}, ${meta.cpus} CPUs, unlimited fps=${meta.unlimitedFps}`);
  L.push('', 'drawn = call started at a frame start, until that frame (or, for async peers, their own redraw) is painted; raf2 = call + 2 rAF (vsync-quantized, floor ~2 frames). Values: median (min–max) over reps; +1 columns are per-rep medians of ' + meta.ones + ' adds.');
  L.push('', '| peer | words | annots | ready ms | bulk drawn ms | bulk raf2 ms | bulk CPU ms | +1 drawn ms | +1 raf2 ms | +1 sync ms | heap load MB | heap after MB | wasm MB | memory MB | save ms | export W3C ms | +1 relation drawn ms | suggestions in view ms | scroll max frame ms | scroll p95 frame ms | DOM nodes | fails |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of summary.rows) {
    L.push(`| ${r.peer} | ${r.words} | ${r.count} | ${f(r.readyMs, 0)} | ${f(r.bulkMs)} | ${f(r.bulkRaf2Ms)} | ${f(r.bulkCpuMs)} | ${f(r.oneMs, 2)} | ${f(r.oneRaf2Ms, 1)} | ${f(r.oneSyncMs, 3)} | ${f(r.heapLoadMB)} | ${f(r.heapAfterMB)} | ${f(r.wasmMB)} | ${f(r.memoryMB)} | ${f(r.saveMs, 2)} | ${f(r.exportMs)} | ${f(r.relationMs, 2)} | ${f(r.suggestMs, 0)} | ${f(r.scrollMaxMs)} | ${f(r.scrollP95Ms)} | ${r.nodesAfter ? r.nodesAfter.median : 'n/a'} | ${r.failed}${r.errors.length ? ' ' + r.errors.join('; ') : ''} |`);
  }
  for (const p of peers.filter((x) => x.memoryTargetMB)) {
    const top = summary.rows.filter((r) => r.peer === p.name && r.memoryMB).at(-1);
    if (top) L.push('', `Memory target: ${p.name} ≤ ${p.memoryTargetMB} MB at 10,000 annotations; here ${f(top.memoryMB)} MB at ${top.count} (memory = heap after + wasm).`);
  }
  L.push('', `Edits and first import: retag, delete and undo are drawn ms like +1 (per-rep medians of ${meta.edits} of each); first import = a fresh page, then as soon as it is ready one import of N annotations (${peers.filter((p) => p.firstImport).map((p) => `${p.name}: ${p.firstImport}`).join(', ') || 'no peer here'}) until listed and drawn; module wait = the app's measure \`marginalia:worker-ready\` in that page.`);
  L.push('', '| peer | words | annots | +1 drawn ms | retag drawn ms | delete drawn ms | undo drawn ms | first import ms | module wait ms |', '|---|---|---|---|---|---|---|---|---|');
  for (const r of summary.rows) {
    L.push(`| ${r.peer} | ${r.words} | ${r.count} | ${f(r.oneMs, 2)} | ${f(r.retagMs, 2)} | ${f(r.removeMs, 2)} | ${f(r.undoMs, 2)} | ${f(r.firstImportMs)} | ${f(r.moduleWaitMs)} |`);
  }
  const fl = summary.rows.filter((r) => r.emptyDrawnMs);
  if (fl.length) L.push('', `Empty-op floor: drawn ${f(stat(fl.map((r) => r.emptyDrawnMs.median)), 2)} ms, raf2 ${f(stat(fl.map((r) => r.emptyRaf2Ms.median)), 1)} ms`);
  L.push('', `Ratios vs ${REF} (same rep, median (min–max)):`, '', '| peer | words | annots | ready | bulk drawn | bulk CPU | +1 drawn | retag drawn | delete drawn | undo drawn | heap | memory |', '|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of summary.ratios) L.push(`| ${r.peer} | ${r.words} | ${r.count} | ${f(r.readyMs, 2)} | ${f(r.bulkMs, 2)} | ${f(r.bulkCpuMs, 2)} | ${f(r.oneMs, 2)} | ${f(r.retagMs, 2)} | ${f(r.removeMs, 2)} | ${f(r.undoMs, 2)} | ${f(r.heapAfterMB, 2)} | ${f(r.memoryMB, 2)} |`);
  L.push('', '| bundle | raw B | minified B | gzip -9 B |', '|---|---|---|---|');
  for (const [k, b] of Object.entries(bundles)) L.push(`| ${k} | ${b.raw ?? '-'} | ${b.min} | ${b.gzip} |`);
  L.push('', 'First load: gzip -9 of every file the page fetched before the article was shown (the harness\'s article aside), KB = 1000 B; later: fetched after it (e.g. on first import), and a service worker (blocked in benches: its file as built).', '',
    '| peer | first load files | first load KB | target KB | later |', '|---|---|---|---|---|');
  for (const l of summary.loads) {
    const later = l.later.map((x) => `${x.url} ${kb(x.gzip)}`).join(', ') || '-';
    L.push(`| ${l.peer} | ${l.first.map((x) => x.url.split('/').pop()).join(' ')} | ${kb(l.firstGzip)} | ${l.target ?? '-'} | ${later} |`);
  }
  return L.join('\n');
}

// ---------------------------------------------------------------- main
const server = await startServer();
const base = `http://127.0.0.1:${server.address().port}`;
for (const w of SIZES) ensureArticle(resolve(HERE, `articles/words-${w}.txt`), w);
const bundles = await bundleSizes();
const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: LAUNCH_ARGS });
const meta = {
  date: new Date().toISOString(), chromium: browser.version(),
  playwright: JSON.parse(readFileSync(resolve(HERE, 'node_modules/playwright-core/package.json'))).version,
  recogito: existsSync(resolve(HERE, 'node_modules/@recogito/text-annotator/package.json')) ? JSON.parse(readFileSync(resolve(HERE, 'node_modules/@recogito/text-annotator/package.json'))).version : null,
  node: process.version, cpus: os.cpus().length, loadavgStart: os.loadavg(), args: LAUNCH_ARGS,
  reps: REPS, sizes: SIZES, counts: COUNTS, ones: ONES, edits: EDITS, ref: REF, unlimitedFps: flag('unlimited-fps'),
  peers: peers.map((p) => ({ name: p.name, url: p.url })),
};
const runs = [];
const t0 = Date.now();
// Order: size -> rep -> count -> peer, so peers of one rep run back to back (fair ratios).
for (const words of SIZES) for (let rep = 1; rep <= REPS; rep++) for (const count of COUNTS) for (const peer of peers) {
  const r = await runPage(browser, base, peer, words, count, rep);
  r.rep = rep;
  if (peer.firstImport && !r.error) r.firstImport = await firstImport(browser, base, peer, words);
  runs.push(r);
  const el = ((Date.now() - t0) / 1000).toFixed(0);
  console.error(`[${el}s] ${peer.name} words=${words} n=${count} rep=${rep}: ` + (r.error ? `ERROR ${r.error}` :
    `ready=${r.readyMs.toFixed(0)} bulk=${r.bulk.drawnMs.toFixed(1)}/${r.bulk.raf2Ms.toFixed(1)} one=${r.oneMedianMs.toFixed(2)}/${r.oneRaf2MedianMs.toFixed(2)} empty=${r.emptyDrawnMs.toFixed(2)}/${r.emptyRaf2Ms.toFixed(1)} heap=${r.heapAfter.usedMB.toFixed(1)}MB nodes=${r.heapAfter.nodes} check=${r.count_check}` +
    (r.edits ? ` retag/delete/undo=${EDIT_OPS.map((op) => r[`${op}MedianMs`].toFixed(2)).join('/')}` : '') +
    (r.firstImport ? ` first-import=${r.firstImport.error ?? r.firstImport.importMs.toFixed(0)}` : '') +
    (r.errors.length ? ` errs=${r.errors.slice(0, 2).join(' | ')}` : '')));
  writeFileSync(OUT, JSON.stringify({ meta, bundles, runs, partial: true }, null, 1));
}
meta.loadavgEnd = os.loadavg();
meta.wallS = (Date.now() - t0) / 1000;
await browser.close();
server.close();
const summary = summarize(runs);
writeFileSync(OUT, JSON.stringify({ meta, bundles, summary, runs }, null, 1));
const md = markdown(summary, bundles, meta);
writeFileSync(OUT.replace(/\.json$/, '') + '.md', md + '\n');
console.log(md);
