// The device's delivered and seen acks until Herald confirms them. Each is written to IndexedDB with the change it
// reports (the stored message, the message marked seen), sent in a batch, and deleted only when an `acked` frame names
// it: Herald sends that once the ack is committed. So an ack lost with a crashed server, a dropped connection, a
// reload or a closed tab goes again on the next connection (docs/protocol.md); Herald ignores one it already has.
import { STORES, done, transact } from './db.js';

const { acks: ACKS } = STORES;
const MAX_IDS_PER_ACK = 1000; // the protocol's limit per frame
const ACK_BATCH_MS = 30; // messages pushed on connect come in a burst: one frame for the burst
// Herald answers acks in order within milliseconds unless storing them failed (a full disk, a database restart):
// one unconfirmed for 30 s on an open connection is sent again.
const RESEND_AFTER_MS = 30_000;
const RESEND_CHECK_MS = 10_000;

/** Records an ack in the `acks` store of a running transaction; a waiting seen ack already covers delivered. */
export async function keepAck(store, id, ack) {
  if (ack === 'delivered' && (await done(store.get(id)))?.ack === 'seen')
    return;
  store.put({ id, ack });
}

/**
 * Deletes the kept acks Herald confirmed (an `acked` frame, or the answer to POST /consumer/v1/acks from the service
 * worker); resolves with the ids forgotten.
 */
export function forgetConfirmed(db, ack, messageIds) {
  const ids = Array.isArray(messageIds) ? messageIds : [];
  return transact(db, [ACKS], 'readwrite', async (s) => {
    const forgotten = [];
    for (const id of ids) {
      const kept = await done(s[ACKS].get(id));
      // A confirmed delivered leaves a seen sent after it waiting for its own confirmation.
      if (kept && (ack === 'seen' || kept.ack === 'delivered')) {
        s[ACKS].delete(id);
        forgotten.push(id);
      }
    }
    return forgotten;
  });
}

export class AckOutbox {
  #db;
  #gateway;
  #queued = { delivered: new Set(), seen: new Set() };
  #sentAt = new Map(); // id → when this page last sent its ack
  #timer = 0;
  #interval = 0;

  constructor(db, gateway) {
    this.#db = db;
    this.#gateway = gateway;
    gateway.addEventListener('ready', () => this.#resend(0)); // a new connection: everything unconfirmed
    gateway.addEventListener('frame', (event) => {
      if (event.detail.type === 'acked')
        this.#confirmed(event.detail).catch((error) => console.error('Could not forget confirmed acks', error));
    });
    this.#interval = setInterval(() => this.#resend(RESEND_AFTER_MS), RESEND_CHECK_MS);
  }

  /** Sends acks already kept with keepAck in the next batch. */
  queue(ack, ids) {
    for (const id of ids)
      this.#queued[ack].add(id);
    this.#timer ||= setTimeout(() => this.#flush(), ACK_BATCH_MS);
  }

  close() {
    clearTimeout(this.#timer);
    clearInterval(this.#interval);
  }

  #flush() {
    this.#timer = 0;
    const now = Date.now();
    // delivered first: a seen for the same message would report both steps anyway
    for (const ack of ['delivered', 'seen']) {
      const ids = [...this.#queued[ack]];
      this.#queued[ack].clear();
      // Offline: nothing is lost, they are in IndexedDB and go when the connection is back.
      for (let i = 0; i < ids.length; i += MAX_IDS_PER_ACK) {
        const chunk = ids.slice(i, i + MAX_IDS_PER_ACK);
        if (this.#gateway.send({ type: ack, message_ids: chunk }))
          chunk.forEach((id) => this.#sentAt.set(id, now));
      }
    }
  }

  /** Queues the kept acks this page has not sent within the last `olderThanMs`. */
  async #resend(olderThanMs) {
    if (!this.#gateway.online)
      return;
    try {
      const kept = await transact(this.#db, [ACKS], 'readonly', (s) => done(s[ACKS].getAll()));
      const now = Date.now();
      for (const { id, ack } of kept)
        if (now - (this.#sentAt.get(id) ?? -Infinity) >= olderThanMs)
          this.queue(ack, [id]);
    } catch (error) {
      console.error('Could not read unconfirmed acks', error);
    }
  }

  async #confirmed(frame) {
    for (const id of await forgetConfirmed(this.#db, frame.ack, frame.message_ids))
      this.#sentAt.delete(id);
  }
}
