// Web Push in the service worker (payloads: docs/protocol.md). A `message` push carries the message itself; a `wake`
// push carries nothing and the worker fetches what waits over HTTP. Either way each message is stored exactly as the
// app stores one from the WebSocket (with its delivered ack kept in the same transaction), notified, and then
// acknowledged with POST /consumer/v1/acks. An ack that does not get through stays kept and goes over the WebSocket
// when the app next connects; a message pushed twice is recognised by id, neither stored nor notified again.
import { forgetConfirmed } from '../data/acks.js';
import { openDb } from '../data/db.js';
import { isMessage, storeReceived } from '../data/inbox.js';
import { mirroredSession } from '../data/session.js';
import { NOTIFICATION_PREVIEWS, readPreference } from '../data/preferences.js';
import { deviceApi } from '../net/api.js';
import { chatPath } from '../ui/router.js';
import { notificationFor, withPictures } from './notification.js';

const MAX_IDS_PER_ACK = 1000;

// The page that deletes the history (sign-out) closes this connection through versionchange; open it again when needed.
let database = null;
const db = () => (database ??= openDb({ onVersionChange: () => { database = null; } }).catch((error) => {
  database = null;
  throw error;
}));

// One push at a time: two wake-ups fetching the same waiting messages then store and notify each once.
let queue = Promise.resolve();

export function receivePush(payload) {
  const work = queue.then(() => receive(payload));
  queue = work.catch((error) => console.error('Could not handle a push', error));
  return work;
}

async function receive(payload) {
  const history = await db();
  const session = await mirroredSession(history);
  if (!session)
    return; // no device signed in on this browser (signed out): nothing to store, no token to ack with
  const api = deviceApi(session.token, () => {});
  let messages;
  let notify = true;
  if (payload?.type === 'message') {
    messages = [payload.message];
    notify = payload.notify !== false; // false: the consumer muted this sender
  } else if (payload?.type === 'wake') {
    messages = await withRetries(() => api.waitingMessages());
  } else {
    return;
  }

  const ids = [];
  const fresh = [];
  for (const message of (Array.isArray(messages) ? messages : []).filter(isMessage)) {
    const { record, sender } = await storeReceived(history, message);
    ids.push(record.id);
    if (sender)
      fresh.push({ record, sender });
  }
  const pages = await self.clients.matchAll({ type: 'window' });
  // Open Messenger pages show what the worker stored (their connection is down, or Herald would not have pushed).
  for (const page of pages)
    for (const { record } of fresh)
      page.postMessage({ type: 'stored', message_id: record.id });
  // A Messenger page in sight shows the message itself; a muted sender's messages arrive silently.
  if (notify && !pages.some((page) => page.visibilityState === 'visible'))
    await notifyAll(history, fresh.filter(({ sender }) => !sender.muted))
      .catch((error) => console.warn('Could not show a notification', error)); // permission withdrawn: still ack
  await acknowledge(history, api, ids);
}

// A wake-up whose fetch fails would show nothing until the app is next opened (the messages still wait, nothing is
// lost): try three times over about three seconds, well inside the time a browser gives a push event.
const RETRY_DELAYS_MS = [1000, 2000];

async function withRetries(fetchOnce) {
  for (const delay of RETRY_DELAYS_MS) {
    try {
      return await fetchOnce();
    } catch (error) {
      if (error?.status >= 400 && error.status < 500 && error.status !== 429)
        throw error; // signed out or refused: asking again changes nothing
      console.warn(`Could not fetch what waits; trying again in ${delay} ms`, error);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return fetchOnce();
}

async function notifyAll(history, fresh) {
  if (fresh.length === 0)
    return;
  const previews = (await readPreference(history, NOTIFICATION_PREVIEWS)) !== false;
  for (const { record, sender } of fresh) {
    const { title, options } = notificationFor(record, sender, { previews });
    await self.registration.showNotification(title, await withPictures(options));
  }
}

async function acknowledge(history, api, ids) {
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_ACK) {
    try {
      const answer = await api.ack('delivered', ids.slice(i, i + MAX_IDS_PER_ACK));
      await forgetConfirmed(history, 'delivered', answer?.message_ids);
    } catch (error) {
      console.warn('Delivered ack not sent; the app sends it on its next connection', error);
      return;
    }
  }
}

/** A click on a notification: the chat in the Messenger window already open, or in a new one. */
export async function openChat(businessId) {
  const path = typeof businessId === 'string' ? chatPath(businessId) : '/app/';
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const app = windows.find((client) => new URL(client.url).pathname.startsWith('/app/'));
  if (!app) {
    await self.clients.openWindow(path);
    return;
  }
  app.postMessage({ type: 'open', path });
  await app.focus().catch(() => { /* not allowed without a click: the chat is open behind */ });
}
