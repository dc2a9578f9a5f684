// Web Push on this device: the service worker (sw.js), the notification permission, and the browser's push
// subscription registered with Herald so messages reach the device while the Messenger is closed.
const WORKER = '/app/sw.js';
const SCOPE = '/app/';
// The browser asks its vendor's push service for an endpoint; a browser built without one (or offline) never answers.
const SUBSCRIBE_TIMEOUT_MS = 20_000;

export const pushSupported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** Registers the worker after sign-in: it keeps the app shell for opening offline, with or without notifications. */
export async function registerWorker() {
  if (!('serviceWorker' in navigator))
    return null;
  return navigator.serviceWorker.register(WORKER, { type: 'module', scope: SCOPE });
}

/** Asks for permission (call it from a click: browsers refuse to ask otherwise), then subscribes. */
export async function turnOnNotifications(api) {
  const answer = await Notification.requestPermission();
  if (answer !== 'granted')
    throw new Error(answer === 'denied'
      ? 'Notifications are blocked for this site. Allow them in the browser\'s site settings.'
      : 'Notifications were not allowed.');
  await subscribe(api);
}

/**
 * Subscribes with Herald's key and registers the subscription with Herald; with permission already given it runs at
 * every start, which keeps Herald in step after a key change or a subscription the push service dropped.
 */
export async function subscribe(api) {
  const registration = await navigator.serviceWorker.ready;
  const key = fromBase64Url(await api.pushKey());
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe(); // made with a key Herald no longer signs with
    subscription = null;
  }
  subscription ??= await answerWithin(SUBSCRIBE_TIMEOUT_MS,
    registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }),
    'This browser\'s push service did not answer. Notifications need a browser that can reach its push service.');
  await api.savePushSubscription(subscription.toJSON());
}

/** Ends push for this device: the browser's subscription, then Herald's copy (before the token goes). */
export async function unsubscribe(api) {
  const registration = await navigator.serviceWorker?.getRegistration(SCOPE);
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription)
    return;
  await subscription.unsubscribe();
  await api.deletePushSubscription();
}

/** Messages from the worker: `stored` (a pushed message is in IndexedDB), `open` (a notification was clicked). */
export function listenToWorker({ onStored, onOpen }) {
  navigator.serviceWorker?.addEventListener('message', (event) => {
    const { type, message_id: messageId, path } = event.data ?? {};
    if (type === 'stored' && typeof messageId === 'string')
      onStored(messageId);
    else if (type === 'open' && typeof path === 'string' && path.startsWith(SCOPE))
      onOpen(path);
  });
}

function answerWithin(ms, promise, message) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

function sameBytes(buffer, bytes) {
  const other = buffer ? new Uint8Array(buffer) : new Uint8Array();
  return other.length === bytes.length && other.every((b, i) => b === bytes[i]);
}
