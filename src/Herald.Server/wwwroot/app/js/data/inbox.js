// The consumer's chats on this device: what arrives over the gateway is stored first and acknowledged after, acks
// wait in the database until Herald confirms them (acks.js), and replies are kept with their fate.
import { AckOutbox, keepAck } from './acks.js';
import { STORES, done, transact } from './db.js';
import { incomingRecord, mergeSender, outgoingRecord, withLast } from './records.js';
import { isReplyEcho, markReadElsewhere, storeEchoedReply } from './other-devices.js';

const { messages: MESSAGES, senders: SENDERS, acks: ACKS } = STORES;

/** A message object as Herald sends it (WebSocket frame, push payload, waiting list), enough to store. */
export const isMessage = (message) => typeof message?.message_id === 'string' && typeof message.sender?.business_id === 'string';

/**
 * Stores a message received from Herald (over the WebSocket, or by push in the service worker) with its delivered ack
 * kept in the same transaction: "this device has stored these messages". Resolves with the record and the updated
 * sender, or `sender: null` when the message was already stored (pushed again because the ack did not arrive).
 */
export async function storeReceived(db, message) {
  const record = incomingRecord(message);
  const sender = await transact(db, [MESSAGES, SENDERS, ACKS], 'readwrite', async (s) => {
    await keepAck(s[ACKS], record.id, 'delivered');
    if ((await done(s[MESSAGES].getKey(record.id))) !== undefined)
      return null;
    s[MESSAGES].add(record);
    const updated = withLast(mergeSender(await done(s[SENDERS].get(record.business_id)), message.sender), record);
    updated.unread = (updated.unread ?? 0) + 1;
    s[SENDERS].put(updated);
    return updated;
  });
  return { record, sender };
}

/** Events: `chats` (the list changed), `chat` (detail: {business_id, record}: a message was added or changed). */
export class Inbox extends EventTarget {
  #db;
  #gateway;
  #api;
  #senders = new Map();
  #acks;
  #repliesInFlight = new Set();
  #readBeforeArrival = new Set(); // read on another device before it reached this one: stored as read when it comes

  constructor(db, gateway, api) {
    super();
    this.#db = db;
    this.#gateway = gateway;
    this.#api = api;
    this.#acks = new AckOutbox(db, gateway);
    gateway.addEventListener('frame', (event) => this.#onFrame(event.detail));
    gateway.addEventListener('ready', () => this.#onReady());
    gateway.addEventListener('closed', () => this.#onClosed());
    this.addEventListener('chat', (event) => {
      if (this.#readBeforeArrival.delete(event.detail.record.id))
        this.#onRead([event.detail.record.id]).catch((error) => console.error('Could not mark a message read', error));
    });
  }

  async load() {
    const senders = await transact(this.#db, [SENDERS], 'readonly', (s) => done(s[SENDERS].getAll()));
    for (const sender of senders)
      this.#senders.set(sender.business_id, sender);
  }

  /** Chats with the latest first; senders without messages on this device last, by name. */
  chats() {
    return [...this.#senders.values()].sort((a, b) =>
      (b.last_at ?? -1) - (a.last_at ?? -1) || a.name.localeCompare(b.name));
  }

  sender(businessId) {
    return this.#senders.get(businessId);
  }

  unreadTotal() {
    let total = 0;
    for (const sender of this.#senders.values())
      total += sender.unread ?? 0;
    return total;
  }

  /** A chat's messages, oldest first. */
  messages(businessId) {
    const range = IDBKeyRange.bound([businessId, -Infinity], [businessId, Infinity]);
    return transact(this.#db, [MESSAGES], 'readonly', (s) => done(s[MESSAGES].index('chat').getAll(range)));
  }

  /** Profiles, blocks and mutes from Herald, merged into what the device has. */
  async refreshSenders() {
    const list = await this.#api.senders();
    const updated = await transact(this.#db, [SENDERS], 'readwrite', async (s) => {
      const result = [];
      for (const profile of list) {
        const sender = mergeSender(await done(s[SENDERS].get(profile.business_id)), profile,
          { blocked: profile.blocked === true, muted: profile.muted === true });
        s[SENDERS].put(sender);
        result.push(sender);
      }
      return result;
    });
    this.#remember(updated);
  }

  async setBlocked(businessId, blocked) {
    await this.#api.setBlocked(businessId, blocked);
    await this.#updateSender(businessId, { blocked });
  }

  /** Kept in the sender's record too: the service worker reads it there to stay silent. */
  async setMuted(businessId, muted) {
    await this.#api.setMuted(businessId, muted);
    await this.#updateSender(businessId, { muted });
  }

  async #updateSender(businessId, changes) {
    const sender = await transact(this.#db, [SENDERS], 'readwrite', async (s) => {
      const current = { ...(await done(s[SENDERS].get(businessId))), ...changes };
      s[SENDERS].put(current);
      return current;
    });
    this.#remember([sender]);
  }

  /** Marks messages as seen by the consumer; the seen ack is kept until Herald confirms it. */
  async markSeen(ids) {
    const seen = [];
    const changed = await transact(this.#db, [MESSAGES, SENDERS, ACKS], 'readwrite', async (s) => {
      const perSender = new Map();
      for (const id of ids) {
        const record = await done(s[MESSAGES].get(id));
        if (!record || record.direction !== 'in' || record.seen)
          continue;
        record.seen = true;
        s[MESSAGES].put(record);
        await keepAck(s[ACKS], id, 'seen');
        seen.push(id);
        perSender.set(record.business_id, (perSender.get(record.business_id) ?? 0) + 1);
      }
      const senders = [];
      for (const [businessId, count] of perSender) {
        const sender = await done(s[SENDERS].get(businessId));
        sender.unread = Math.max(0, (sender.unread ?? 0) - count);
        s[SENDERS].put(sender);
        senders.push(sender);
      }
      return senders;
    });
    this.#remember(changed);
    this.#acks.queue('seen', seen);
  }

  async reply(businessId, text) {
    const record = outgoingRecord(businessId, text);
    const sender = await transact(this.#db, [MESSAGES, SENDERS], 'readwrite', async (s) => {
      s[MESSAGES].add(record);
      const updated = withLast(await done(s[SENDERS].get(businessId)), record);
      s[SENDERS].put(updated);
      return updated;
    });
    this.#remember([sender]);
    this.#changed(record);
    this.#sendReply(record);
  }

  async retryReply(id) {
    const record = await this.#updateMessage(id, (r) => {
      r.status = 'sending';
      r.pending = 1;
      delete r.error;
    });
    if (record)
      this.#sendReply(record);
  }

  close() {
    this.#acks.close();
  }

  #onFrame(frame) {
    if (frame.type === 'message' && isMessage(frame.message))
      this.#receive(frame.message).catch((error) => console.error('Could not store a message', error));
    else if (frame.type === 'reply_sent' && frame.ref)
      this.#settleReply(frame.ref, { status: 'sent', reply_id: frame.reply_id });
    else if (frame.type === 'read' && Array.isArray(frame.message_ids))
      this.#onRead(frame.message_ids).catch((error) => console.error('Could not mark messages read', error));
    else if (frame.type === 'reply_echo' && isReplyEcho(frame))
      this.#echoed(frame).catch((error) => console.error('Could not store a reply sent elsewhere', error));
    else if (frame.type === 'error' && frame.ref)
      this.#settleReply(frame.ref, { status: 'failed', error: frame.message });
    else if (frame.type === 'error')
      console.warn('Herald refused a frame:', frame.code, frame.message);
  }

  async #receive(message) {
    const { record, sender } = await storeReceived(this.#db, message);
    this.#acks.queue('delivered', [record.id]); // only once it is stored
    if (sender)
      this.#show(record, sender);
  }

  /** A message the service worker stored while this page's connection was down (sw.js tells the page). */
  async showStored(messageId) {
    const found = await transact(this.#db, [MESSAGES, SENDERS], 'readonly', async (s) => {
      const record = await done(s[MESSAGES].get(messageId));
      return record && { record, sender: await done(s[SENDERS].get(record.business_id)) };
    });
    if (found?.sender)
      this.#show(found.record, found.sender);
  }

  #show(record, sender) {
    this.#remember([sender]);
    this.#changed(record);
  }

  async #onRead(ids) {
    const { records, senders, missing } = await markReadElsewhere(this.#db, ids);
    missing.forEach((id) => this.#readBeforeArrival.add(id));
    this.#remember(senders);
    records.forEach((record) => this.#changed(record));
  }

  async #echoed(frame) {
    const stored = await storeEchoedReply(this.#db, frame);
    if (stored) {
      this.#remember([stored.sender]);
      this.#changed(stored.record);
    }
  }

  async #onReady() {
    const pending = await transact(this.#db, [MESSAGES], 'readonly', (s) => done(s[MESSAGES].index('pending').getAll()));
    for (const record of pending)
      if (!this.#repliesInFlight.has(record.id))
        this.#sendReply(record);
    this.refreshSenders().catch(() => { /* offline again: the list refreshes on the next connection */ });
  }

  /** A reply sent but not confirmed when the connection dropped may or may not have reached the business. */
  #onClosed() {
    for (const id of this.#repliesInFlight)
      this.#settleReply(id, { status: 'failed', error: 'Not confirmed: the connection dropped. Try again.' });
  }

  #sendReply(record) {
    if (this.#gateway.send({ type: 'reply', business_id: record.business_id, text: record.text, ref: record.id }))
      this.#repliesInFlight.add(record.id);
  }

  #settleReply(id, changes) {
    this.#repliesInFlight.delete(id);
    this.#updateMessage(id, (record) => {
      Object.assign(record, changes);
      delete record.pending;
    }).catch((error) => console.error('Could not update a reply', error));
  }

  async #updateMessage(id, change) {
    const record = await transact(this.#db, [MESSAGES], 'readwrite', async (s) => {
      const current = await done(s[MESSAGES].get(id));
      if (current) {
        change(current);
        s[MESSAGES].put(current);
      }
      return current;
    });
    if (record)
      this.#changed(record);
    return record;
  }

  #remember(senders) {
    for (const sender of senders)
      this.#senders.set(sender.business_id, sender);
    if (senders.length > 0)
      this.dispatchEvent(new Event('chats'));
  }

  #changed(record) {
    this.dispatchEvent(new CustomEvent('chat', { detail: { business_id: record.business_id, record } }));
  }
}
