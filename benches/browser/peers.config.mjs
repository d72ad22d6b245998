// Peer registry. A peer = a page (url, served by the local static server) that sets
// window.benchPeer = { load(text), addAnnotations(list), addOne(a) } (each may return
// a Promise that resolves once the peer considers the work drawn). Optional, for the columns
// only some peers fill: select() + retag()/remove()/undo() (edits of the selected annotation),
// prepareRelation() + addRelation(), suggestInView(), lastSaveMs(), exportW3C(),
// wasmMemoryBytes(), scrollElement(), count().
//   name    unique id used on the command line (--peers a,b)
//   url     path on the local server; ?benchArticle=... is appended by run.mjs
//   bundle  files (relative to this folder, or absolute) that make up the annotator
//           as shipped to the browser -> raw / minified / gzip sizes are reported
//   mount   optional { '/prefix/': '/abs/or/relative/dir' } extra static roots,
//           e.g. for a built Rust/wasm app (trunk/wasm-pack output folder)
//   initScripts  optional scripts injected at document start beside harness/driver.js
//   firstImport  optional N: also time a fresh page's first import of N annotations
//   serviceWorker  optional file of the peer's service worker (blocked in benches), listed
//           with what is fetched after the first load
//   firstLoadTargetKB, memoryTargetMB  optional targets printed beside the first-load total
//           and the memory (JS heap + wasm) at the largest count
const RECOGITO = [
  'node_modules/@recogito/text-annotator/dist/text-annotator.umd.js',
  'node_modules/@recogito/text-annotator/dist/text-annotator.css',
  'adapters/recogito/adapter.js',
];
import { readdirSync, existsSync } from 'node:fs';
const DIST = new URL('../../target/bench-dist/', import.meta.url).pathname;
const MARGINALIA = existsSync(DIST)
  ? readdirSync(DIST).filter((f) => /\.(wasm|js|css)$/.test(f)).map((f) => DIST + f)
  : [];
export default [
  { name: 'recogito-spans', url: '/adapters/recogito/index.html?renderer=SPANS', bundle: RECOGITO },
  { name: 'recogito-csshl', url: '/adapters/recogito/index.html?renderer=CSS_HIGHLIGHTS', bundle: RECOGITO },
  { name: 'naive-mark', url: '/adapters/naive-mark/index.html', bundle: ['adapters/naive-mark/adapter.js', 'adapters/naive-mark/marks.css'] },
  { name: 'css-highlights', url: '/adapters/css-highlights/index.html', bundle: ['adapters/common/textmap.js', 'adapters/css-highlights/adapter.js'] },
  // Marginalia's release build, made by run.sh with --public-url /marginalia/ into
  // target/bench-dist; adapters/marginalia/adapter.js drives it through the ui-contract hooks.
  { name: 'marginalia', url: '/marginalia/index.html', mount: { '/marginalia/': '../../target/bench-dist' },
    initScripts: ['adapters/marginalia/adapter.js'], bundle: MARGINALIA,
    firstImport: 100, serviceWorker: DIST + 'sw.js', firstLoadTargetKB: 150, memoryTargetMB: 48 },
  // The same with 1,000 relations among the bulk annotations (the relations issue's load).
  { name: 'marginalia-1000-relations', url: '/marginalia/index.html?benchRelations=1000',
    mount: { '/marginalia/': '../../target/bench-dist' },
    initScripts: ['adapters/marginalia/adapter.js'], bundle: MARGINALIA,
    serviceWorker: DIST + 'sw.js', firstLoadTargetKB: 150 },
];
