// The device's own history in IndexedDB. Herald deletes a message's content once the device has it, so this is the
// only copy: messages (received and sent), the senders with their unread counts, and seen acks not yet sent.
const NAME = 'herald-messenger';
const VERSION = 1;

export const STORES = { messages: 'messages', senders: 'senders', seenOutbox: 'seen_outbox' };

/** Resolves with the request's result. */
export function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function openDb() {
  const request = indexedDB.open(NAME, VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    const messages = db.createObjectStore(STORES.messages, { keyPath: 'id' });
    messages.createIndex('chat', ['business_id', 'at']);
    // Only replies still on their way carry `pending`, so this index lists just those.
    messages.createIndex('pending', 'pending');
    db.createObjectStore(STORES.senders, { keyPath: 'business_id' });
    db.createObjectStore(STORES.seenOutbox, { keyPath: 'id' });
  };
  const db = await done(request);
  // Another tab is deleting the history (sign-out, erasure): let go of it and start over with the new state.
  db.onversionchange = () => {
    db.close();
    location.reload();
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
