// The inbox's history, kept in this browser only (IndexedDB), as the Messenger keeps the consumer's: Herald deletes a
// reply once the inbox has taken it. One database per business, so two businesses signed in here never mix.
const VERSION = 1;

function open(businessId) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(`herald-console-inbox-${businessId}`, VERSION);
    request.onupgradeneeded = () => {
      const entries = request.result.createObjectStore('entries', { keyPath: 'id' });
      entries.createIndex('phone', ['phone', 'at']);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(businessId, mode, work) {
  const db = await open(businessId);
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction('entries', mode);
      const result = work(tx.objectStore('entries'));
      tx.oncomplete = () => resolve(result.value);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Stores replies from the inbox (`{reply_id, from, text, received_at}`); one already stored is left as it is. */
export function addReplies(businessId, replies) {
  return run(businessId, 'readwrite', store => {
    for (const r of replies) {
      const entry = { id: r.reply_id, phone: r.from, text: r.text, at: r.received_at, incoming: true, unread: true };
      store.get(entry.id).onsuccess = e => { if (!e.target.result) store.put(entry); };
    }
    return {};
  });
}

/** Remembers a message this browser sent, so the conversation shows both sides. */
export function addSent(businessId, { message_id, to, text, category }) {
  return run(businessId, 'readwrite', store => {
    store.put({ id: message_id, phone: to, text: text ?? '', category, at: new Date().toISOString(), incoming: false });
    return {};
  });
}

/** Every entry, oldest first. */
function all(businessId) {
  return run(businessId, 'readonly', store => {
    const out = {};
    store.getAll().onsuccess = e => { out.value = e.target.result.sort((a, b) => a.at.localeCompare(b.at)); };
    return out;
  });
}

/** Conversations, the most recent first: `{phone, last, unread, lastReplyAt}`. */
export async function conversations(businessId) {
  const byPhone = new Map();
  for (const entry of await all(businessId)) {
    const c = byPhone.get(entry.phone) ?? { phone: entry.phone, unread: 0, lastReplyAt: null };
    c.last = entry;
    if (entry.incoming) c.lastReplyAt = entry.at;
    if (entry.unread) c.unread++;
    byPhone.set(entry.phone, c);
  }
  return [...byPhone.values()].sort((a, b) => b.last.at.localeCompare(a.last.at));
}

export async function thread(businessId, phone) {
  return (await all(businessId)).filter(e => e.phone === phone);
}

export function markRead(businessId, phone) {
  return run(businessId, 'readwrite', store => {
    store.index('phone').openCursor(IDBKeyRange.bound([phone, ''], [phone, '\uffff'])).onsuccess = e => {
      const cursor = e.target.result;
      if (!cursor) return;
      if (cursor.value.unread) cursor.update({ ...cursor.value, unread: false });
      cursor.continue();
    };
    return {};
  });
}
