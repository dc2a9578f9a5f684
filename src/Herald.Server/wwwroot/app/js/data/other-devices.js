// What the consumer's other devices did, as Herald reports it (docs/protocol.md): messages read there (`read`) and
// replies sent from there (`reply_echo`). Both change only this device's own history; neither is acknowledged.
import { STORES, done, transact } from './db.js';
import { echoRecord, withLast } from './records.js';

const { messages: MESSAGES, senders: SENDERS } = STORES;

/**
 * Marks the messages read elsewhere as seen here and lowers the unread counts. No seen ack is sent for them: this
 * device did not show them, and Herald already has the other device's.
 * @returns {Promise<{records: object[], senders: object[], missing: string[]}>} what changed, and the ids this device
 *   has not stored (yet: they may still be on their way to it)
 */
export function markReadElsewhere(db, ids) {
  return transact(db, [MESSAGES, SENDERS], 'readwrite', async (s) => {
    const records = [];
    const missing = [];
    const perSender = new Map();
    for (const id of ids.filter((i) => typeof i === 'string')) {
      const record = await done(s[MESSAGES].get(id));
      if (!record)
        missing.push(id);
      if (!record || record.direction !== 'in' || record.seen)
        continue;
      record.seen = true;
      s[MESSAGES].put(record);
      records.push(record);
      perSender.set(record.business_id, (perSender.get(record.business_id) ?? 0) + 1);
    }
    const senders = [];
    for (const [businessId, count] of perSender) {
      const sender = await done(s[SENDERS].get(businessId));
      if (!sender)
        continue;
      sender.unread = Math.max(0, (sender.unread ?? 0) - count);
      s[SENDERS].put(sender);
      senders.push(sender);
    }
    return { records, senders, missing };
  });
}

/**
 * Keeps a reply sent from another device in its chat, once: a second echo of the same reply_id, or the echo of a
 * reply this device sent itself, changes nothing.
 * @returns {Promise<{record: object, sender: object} | null>}
 */
export function storeEchoedReply(db, frame) {
  const record = echoRecord(frame);
  return transact(db, [MESSAGES, SENDERS], 'readwrite', async (s) => {
    if ((await done(s[MESSAGES].getKey(record.id))) !== undefined)
      return null;
    const range = IDBKeyRange.bound([record.business_id, -Infinity], [record.business_id, Infinity]);
    const chat = await done(s[MESSAGES].index('chat').getAll(range));
    if (chat.some((r) => r.direction === 'out' && r.reply_id === record.reply_id))
      return null;
    const known = await done(s[SENDERS].get(record.business_id));
    if (!known)
      return null; // no chat with this sender here yet: the sender list refresh brings it, without this reply
    s[MESSAGES].add(record);
    const sender = withLast(known, record);
    s[SENDERS].put(sender);
    return { record, sender };
  });
}

/** A `reply_echo` frame with what storing it needs. */
export function isReplyEcho(frame) {
  return typeof frame.reply_id === 'string' && typeof frame.business_id === 'string' && typeof frame.text === 'string';
}
