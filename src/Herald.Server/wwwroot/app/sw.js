// The Messenger's service worker (a module, scope /app/): it keeps the app shell for opening offline, and receives
// Web Push while no Messenger page is connected: stores the message as the app does, notifies, acknowledges.
import { cacheShell, answerFromShell } from './js/worker/shell-cache.js';
import { openChat, receivePush } from './js/worker/push-receiver.js';

self.addEventListener('install', (event) => event.waitUntil(cacheShell().then(() => self.skipWaiting())));
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const answer = answerFromShell(event.request);
  if (answer)
    event.respondWith(answer);
});
self.addEventListener('push', (event) => event.waitUntil(receivePush(parse(event.data))));
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openChat(event.notification.data?.business_id));
});

function parse(data) {
  try {
    return data?.json() ?? null;
  } catch {
    return null; // not JSON: not from Herald
  }
}
