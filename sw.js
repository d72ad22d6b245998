// Marginalia's service worker: after one visit the app loads and works with no network (the
// library is in IndexedDB; this keeps the app's own files). See README.md, "Offline and
// installing".
//
// - install: stores every file of the build (the app shell) in a cache of this version;
// - fetch: answers those files from that cache, and a navigation to the app (its folder or
//   index.html, any query) with the cached index.html; anything else, and anything from
//   another origin, is left to the network untouched;
// - activate: deletes this app's caches of other versions, and takes control of pages opened
//   before the first install, so the first visit already works offline.
// A new build is a new version of this file, which the browser fetches in the background; it
// installs and then waits (no skipWaiting on install) until the page's update-ready banner sends
// SKIP_WAITING, so a new version never replaces the one the user is working in.

// Written by scripts/precache.mjs (a Trunk post-build hook): the build's files, relative to this
// file, and a hash of their contents.
const BUILD = 'BUILD_PRECACHE';

const root = new URL('./', self.location);
// Caches belong to the origin: the folder keeps two installs on one origin apart.
const CACHE_PREFIX = `marginalia ${root.pathname} `;
const CACHE = CACHE_PREFIX + BUILD.version;
const SHELL = new URL('index.html', root).href;
const PRECACHED = new Set(BUILD.files.map((file) => new URL(file, root).href));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // `reload`: from the server, not from an HTTP cache that may hold an older index.html.
      cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== root.origin) return;
  url.search = '';
  const opensApp = request.mode === 'navigate' && (url.href === root.href || url.href === SHELL);
  const key = opensApp ? SHELL : url.href;
  if (!PRECACHED.has(key)) return;
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(key))
      // Missing only if the browser evicted the cache: the network still has it.
      .then((cached) => cached || fetch(request)),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'SKIP_WAITING') self.skipWaiting();
});
