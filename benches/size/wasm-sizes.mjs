#!/usr/bin/env node
// What each part of the two wasm modules weighs (README, "What loads when"): twiggy's shallow
// size of every function and data segment of cargo's release output (before wasm-bindgen and
// wasm-opt, with names), summed by the part of the app it belongs to; then each module as the
// browser downloads it (dist/, gzip -9).
//   node benches/size/wasm-sizes.mjs TARGET_DIR DIST_DIR
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const [target, dist] = process.argv.slice(2);
const MODULES = { app: 'marginalia-app', worker: 'marginalia-worker' };
// First match wins; tested against the item's name with any leading `<` removed.
const PARTS = [
  ['Yew (components, virtual DOM)', /^(yew|implicit_clone|prokio)/],
  ['UI: components and hooks', /^marginalia::ui::/],
  ['Workspace (actions, undo, comparison)', /^marginalia::workspace/],
  ['Model and anchoring', /^marginalia::(model|anchor|sample)/],
  ['Storage (records, migration)', /^marginalia::persist/],
  ['Formats (importers, exporters)', /^marginalia::format/],
  ['Agreement', /^marginalia::agree/],
  ['Suggestions', /^(marginalia::suggest|aho_corasick)/],
  ['Worker tasks', /^marginalia::tasks/],
  ['Markdown', /^(pulldown_cmark|unicase)/],
  ['JSON (serde, serde_json)', /^(serde|serde_json|serde_core|serde_path_to_error)/],
  ['Unicode words, SHA-256, zip', /^(unicode_segmentation|sha2|miniz_oxide|rustc_hash)/],
  ['Browser bindings (wasm-bindgen, js-sys, web-sys, gloo, idb)', /^(wasm_bindgen|js_sys|web_sys|gloo|idb)/],
  ['Rust std (core, alloc, hashing, allocator)', /^(core|alloc|std|hashbrown|dlmalloc|__rust|&|T |\[)/],
  ['Data (strings, tables)', /^data segment/],
];
const skip = /subsection|custom section|^export |wbindgen_describe|^import |^table|^elem|^type\[|^global/;

function parts(wasm) {
  const csv = execFileSync('twiggy', ['top', '-n', '1000000', '--format', 'csv', wasm], { maxBuffer: 1 << 30 }).toString();
  const sums = new Map(PARTS.map(([name]) => [name, 0]));
  let other = 0;
  for (const line of csv.split('\n').slice(1)) {
    const match = line.match(/^"?(.*?)"?,(\d+),/);
    if (!match) continue;
    const [, rawName, size] = match;
    const name = rawName.replace(/^</, '');
    if (skip.test(name)) continue;
    const part = PARTS.find(([, re]) => re.test(name));
    if (part) sums.set(part[0], sums.get(part[0]) + Number(size));
    else other += Number(size);
  }
  sums.set('Other', other);
  return sums;
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
const sums = Object.fromEntries(Object.entries(MODULES).map(([key, bin]) =>
  [key, parts(join(target, 'wasm32-unknown-unknown/release', `${bin}.wasm`))]));
console.log('| part | first paint (app module) KB | on first use (worker module) KB |');
console.log('|---|---|---|');
for (const name of sums.app.keys()) {
  console.log(`| ${name} | ${kb(sums.app.get(name))} | ${kb(sums.worker.get(name))} |`);
}
const total = (map) => [...map.values()].reduce((a, b) => a + b, 0);
console.log(`| **all code and data, before wasm-opt** | ${kb(total(sums.app))} | ${kb(total(sums.worker))} |`);
const shipped = (prefix) => {
  const file = readdirSync(dist).find((f) => f.startsWith(prefix) && f.endsWith('_bg.wasm'));
  const bytes = readFileSync(join(dist, file));
  return `${kb(bytes.length)} (${kb(gzipSync(bytes, { level: 9 }).length)} gzipped)`;
};
console.log(`| **as downloaded, after wasm-opt -Oz** | ${shipped(MODULES.app + '-')} | ${shipped(MODULES.worker + '_')} |`);
