/* The app's service worker, written into the export by scripts/after-build.mjs with this
 * build's file list. Pages and their code come from the cache when there is no connection;
 * the APIs (GraphQL, Socket.IO, sign-in) are never cached: sales made offline wait in
 * IndexedDB, not here. */
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `localstore-${VERSION}`;
const NEVER_CACHED = ['/graphql', '/socket.io', '/api/', '/metrics', '/healthz', '/readyz'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('localstore-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

/** `/sales` and `/sales/?x=1` are the page `/sales/`. */
function pageKey(url) {
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return PRECACHE.includes(path) ? path : '/';
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || NEVER_CACHED.some((p) => url.pathname.startsWith(p))) return;
  if (request.mode === 'navigate') {
    // Network first, so a new release shows at once; the cached page when offline.
    event.respondWith(
      fetch(request)
        .catch(() => caches.open(CACHE).then((cache) => cache.match(pageKey(url))))
        .then((response) => response || Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith('/_next/static/')) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(request, { ignoreSearch: true }).then((hit) => {
        const fresh = fetch(request)
          .then((response) => {
            if (response.ok) void cache.put(request, response.clone());
            return response;
          })
          .catch(() => hit || Response.error());
        return hit || fresh;
      }),
    ),
  );
});
