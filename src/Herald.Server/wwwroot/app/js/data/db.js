// The device's own history in IndexedDB. Herald deletes a message's content once the device has it, so this is the
// only copy: messages (received and sent), the senders with their unread counts, and acks Herald has not confirmed.
const NAME = 'herald-messenger';
const VERSION = 3;

export const STORES = { messages: 'messages', senders: 'senders', acks: 'acks', session: 'session', settings: 'settings' };

/** Resolves with the request's result. */
export function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Opens the history. `onVersionChange` runs once another tab deletes or upgrades it (after this connection closed): a
 * page reloads to start over with the new state; the service worker just opens it again when it next needs it.
 */
export async function openDb({ onVersionChange = () => location.reload() } = {}) {
  const request = indexedDB.open(NAME, VERSION);
  request.onupgradeneeded = (event) => {
    const db = request.result;
    if (event.oldVersion < 1) {
      const messages = db.createObjectStore(STORES.messages, { keyPath: 'id' });
      messages.createIndex('chat', ['business_id', 'at']);
      // Only replies still on their way carry `pending`, so this index lists just those.
      messages.createIndex('pending', 'pending');
      db.createObjectStore(STORES.senders, { keyPath: 'business_id' });
    }
    if (event.oldVersion < 2) {
      // Version 1 kept seen acks until sent, in `seen_outbox`; now every ack is kept until Herald confirms it.
      const acks = db.createObjectStore(STORES.acks, { keyPath: 'id' });
      if (db.objectStoreNames.contains('seen_outbox')) {
        request.transaction.objectStore('seen_outbox').getAllKeys().onsuccess = (keys) => {
          for (const id of keys.target.result)
            acks.put({ id, ack: 'seen' });
          db.deleteObjectStore('seen_outbox');
        };
      }
    }
    if (event.oldVersion < 3) {
      // Shared with the service worker (issue #14's contract): the device session, and the consumer's choices kept on
      // the device only (`notification_previews`). Out-of-line keys: one record per key.
      db.createObjectStore(STORES.session);
      db.createObjectStore(STORES.settings);
    }
  };
  const db = await done(request);
  // Another tab is deleting the history (sign-out, erasure): let go of it and start over with the new state.
  db.onversionchange = () => {
    db.close();
    onVersionChange();
  };
  return db;
}

/**
 * Runs `work(stores)` in one transaction and resolves with its result once the transaction has committed, so what
 * follows (an ack to the server) never runs ahead of the write.
 */
export function transact(db, names, mode, work) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
    let result;
    Promise.resolve(work(stores)).then((value) => { result = value; }, (error) => { tx.abort(); reject(error); });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

export async function deleteDb(db) {
  db?.close();
  await done(indexedDB.deleteDatabase(NAME));
}
