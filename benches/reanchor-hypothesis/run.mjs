// Marginalia's re-anchoring counts beside Hypothesis's anchoring libraries, on the same inputs,
// in Chromium.
//
// Input: the JSON written by `cargo run --example reanchor_cases` (each revision of the sample
// article, and per annotation its TextQuote selector, its recorded position, the right span
// after the edit and Marginalia's placement, in UTF-16 units too). Each edited article is put
// in a page as the text of one <pre>, and every annotation is anchored there by:
//
// - dom-anchor-text-quote: Hypothesis's anchoring chain as it shipped with that library
//   (2016-2019): the TextPositionSelector if the text there still equals the quote, else
//   `toRange(root, quote, {hint: position.start})` (diff-match-patch's bitap, per 32-character
//   slice), the Range turned back into offsets with dom-anchor-text-position.
// - approx-string-match: Hypothesis's chain today: the same position check, else the best
//   approximate match of the quote (at most min(256, length / 2) errors) ranked by Hypothesis's
//   documented weights: 50 x quote similarity + 20 x prefix + 20 x suffix + 2 x position,
//   each similarity 1 - errors / length. (Our own code following their description, calling
//   the approx-string-match package as they do.)
//
// A placement is right when it equals the expected span (or it is not placed and the text was
// deleted), wrong when it is anywhere else, unplaced when it is not placed though the text is
// still there.
//
// Usage: node run.mjs [cases.json]   (see run.sh)

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const casesPath = resolve(process.argv[2] ?? resolve(here, '../../target/reanchor-cases.json'));
const cases = JSON.parse(readFileSync(casesPath, 'utf8'));

/** A tiny CommonJS bundle of `entry` and everything it requires, for the page. */
function bundle(entry, globalName) {
  const require = createRequire(resolve(here, 'package.json'));
  const modules = new Map(); // path -> { source, deps: {spec: path} }
  const visit = path => {
    if (modules.has(path)) return;
    const source = readFileSync(path, 'utf8');
    const deps = {};
    modules.set(path, { source, deps });
    const local = createRequire(path);
    for (const [, spec] of source.matchAll(/require\(['"]([^'"]+)['"]\)/g)) {
      deps[spec] = local.resolve(spec);
      visit(deps[spec]);
    }
  };
  const entryPath = require.resolve(entry);
  visit(entryPath);
  const defs = [...modules]
    .map(
      ([path, { source, deps }]) =>
        `${JSON.stringify(path)}: [function (module, exports, require) {\n${source}\n}, ${JSON.stringify(deps)}]`,
    )
    .join(',\n');
  return `(() => {
  const defs = {${defs}};
  const cache = {};
  const load = path => {
    if (cache[path]) return cache[path].exports;
    const module = (cache[path] = { exports: {} });
    const [fn, deps] = defs[path];
    fn(module, module.exports, spec => load(deps[spec]));
    return module.exports;
  };
  window.${globalName} = load(${JSON.stringify(entryPath)});
})();`;
}

/** approx-string-match is an ES module with one default export. */
function approxBundle() {
  const require = createRequire(resolve(here, 'package.json'));
  const path = resolve(dirname(require.resolve('approx-string-match/package.json')), 'build/src/index.js');
  const source = readFileSync(path, 'utf8').replace(
    'export default function search(',
    'function search(',
  );
  return `(() => {\n${source}\nwindow.approxSearch = search;\n})();`;
}

// Runs in the page.
function anchorAll(annotations) {
  const root = document.getElementById('root');
  const text = root.textContent;
  const quoteStillAtPosition = a => text.slice(a.position.start16, a.position.end16) === a.exact;

  const withDomAnchorTextQuote = a => {
    if (quoteStillAtPosition(a)) return [a.position.start16, a.position.end16];
    const selector = { exact: a.exact, prefix: a.prefix, suffix: a.suffix };
    const range = window.domAnchorTextQuote.toRange(root, selector, { hint: a.position.start16 });
    if (!range) return null;
    const position = window.domAnchorTextPosition.fromRange(root, range);
    return [position.start, position.end];
  };

  const search = (haystack, needle, maxErrors) => {
    const exact = [];
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
      exact.push({ start: at, end: at + needle.length, errors: 0 });
    }
    return exact.length > 0 ? exact : window.approxSearch(haystack, needle, maxErrors);
  };
  const similarity = (haystack, needle) => {
    if (needle.length === 0 || haystack.length === 0) return 0;
    const matches = search(haystack, needle, needle.length);
    return 1 - Math.min(...matches.map(m => m.errors)) / needle.length;
  };
  const withApproxStringMatch = a => {
    if (quoteStillAtPosition(a)) return [a.position.start16, a.position.end16];
    const quote = a.exact;
    const matches = search(text, quote, Math.min(256, quote.length / 2));
    let best = null;
    for (const m of matches) {
      const quoteScore = 1 - m.errors / quote.length;
      const prefixScore = a.prefix
        ? similarity(text.slice(Math.max(0, m.start - a.prefix.length), m.start), a.prefix)
        : 1;
      const suffixScore = a.suffix
        ? similarity(text.slice(m.end, m.end + a.suffix.length), a.suffix)
        : 1;
      const positionScore = 1 - Math.abs(m.start - a.position.start16) / text.length;
      const score = (50 * quoteScore + 20 * prefixScore + 20 * suffixScore + 2 * positionScore) / 92;
      if (!best || score > best.score) best = { score, start: m.start, end: m.end };
    }
    return best ? [best.start, best.end] : null;
  };

  return annotations.map(a => ({
    domAnchorTextQuote: withDomAnchorTextQuote(a),
    approxStringMatch: withApproxStringMatch(a),
  }));
}

function judge(placed, expected) {
  if (!placed) return expected ? 'unplaced' : 'right';
  if (!expected) return 'wrong';
  return placed[0] === expected.start16 && placed[1] === expected.end16 ? 'right' : 'wrong';
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const tools = ['marginalia', 'domAnchorTextQuote', 'approxStringMatch'];
const rows = [];
const misses = [];
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><meta charset="utf-8"><body><pre id="root"></pre></body>');
  await page.addScriptTag({ content: bundle('dom-anchor-text-quote', 'domAnchorTextQuote') });
  await page.addScriptTag({ content: bundle('dom-anchor-text-position', 'domAnchorTextPosition') });
  await page.addScriptTag({ content: approxBundle() });
  for (const revision of cases.revisions) {
    await page.evaluate(text => {
      document.getElementById('root').textContent = text;
    }, revision.text);
    const theirs = await page.evaluate(anchorAll, revision.annotations);
    const counts = Object.fromEntries(tools.map(t => [t, { right: 0, wrong: 0, unplaced: 0 }]));
    revision.annotations.forEach((a, i) => {
      const ours = a.marginalia.kind === 'orphan' ? null : [a.marginalia.start16, a.marginalia.end16];
      const placed = { marginalia: ours, ...theirs[i] };
      for (const tool of tools) {
        const verdict = judge(placed[tool], a.expected);
        counts[tool][verdict] += 1;
        if (verdict !== 'right') {
          const got = placed[tool];
          const detail = !got
            ? 'not placed'
            : !a.expected
              ? `placed on ${JSON.stringify(revision.text.slice(got[0], got[1]))}, text deleted`
              : got[0] < a.expected.end16 && a.expected.start16 < got[1]
                ? `boundaries ${JSON.stringify(revision.text.slice(got[0], got[1]))}, right ${JSON.stringify(revision.text.slice(a.expected.start16, a.expected.end16))}`
                : `elsewhere: ${JSON.stringify(revision.text.slice(got[0], got[1]))}`;
          misses.push(`${revision.name} / ${a.label}: ${tool} ${verdict} (${detail})`);
        }
      }
    });
    rows.push({ name: revision.name, total: revision.annotations.length, counts });
  }
} finally {
  await browser.close();
}

const cell = c => `${c.right}/${c.wrong}/${c.unplaced}`.padStart(12);
console.log(`\nRe-anchoring ${rows[0]?.total ?? 0} annotations on the sample article, per revision`);
console.log('(right / wrong / unplaced; right includes rightly orphaned annotations whose text was deleted)\n');
console.log(`${'revision'.padEnd(36)} ${'Marginalia'.padStart(12)} ${'dom-anchor-'.padStart(12)} ${'approx-'.padStart(12)}`);
console.log(`${''.padEnd(36)} ${''.padStart(12)} ${'text-quote'.padStart(12)} ${'string-match'.padStart(12)}`);
const totals = Object.fromEntries(tools.map(t => [t, { right: 0, wrong: 0, unplaced: 0 }]));
for (const row of rows) {
  console.log(`${row.name.padEnd(36)} ${tools.map(t => cell(row.counts[t])).join(' ')}`);
  for (const t of tools) for (const k of ['right', 'wrong', 'unplaced']) totals[t][k] += row.counts[t][k];
}
console.log(`${'total'.padEnd(36)} ${tools.map(t => cell(totals[t])).join(' ')}`);
console.log('\nNot right:');
for (const miss of misses) console.log(`  ${miss}`);
