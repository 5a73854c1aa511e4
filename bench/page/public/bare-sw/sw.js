// The edge floor: a service worker that answers every fetch in its scope itself, with no Worker and no
// object behind it. bench/page/main.ts times a page's fetch() to it (`swFloor`) next to Hearth's edge row.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.pathname === '/bare-sw/frame.html') {
    event.respondWith(new Response('<!doctype html><title>bare service worker</title>', { headers: { 'content-type': 'text/html' } }));
  } else {
    event.respondWith(new Response('1'));
  }
});
