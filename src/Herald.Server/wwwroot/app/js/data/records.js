// How frames from Herald become the records the device keeps.

const PROFILE_FIELDS = ['name', 'logo_url', 'description', 'learn_more_url', 'verified', 'two_way'];

/** A received message as stored: the content fields Herald sent, plus the device's own bookkeeping. */
export function incomingRecord(message) {
  const record = {
    id: message.message_id,
    business_id: message.sender.business_id,
    direction: 'in',
    category: message.category,
    sent_at: message.sent_at,
    expires_at: message.expires_at,
    at: Date.parse(message.sent_at) || Date.now(),
    seen: false,
  };
  for (const field of ['text', 'url', 'image_url', 'qr'])
    if (typeof message[field] === 'string')
      record[field] = message[field];
  if (message.button && typeof message.button.caption === 'string' && typeof message.button.action === 'string')
    record.button = { caption: message.button.caption, action: message.button.action };
  return record;
}

/** A reply written on this device; `pending` marks it as not yet confirmed by Herald. */
export function outgoingRecord(businessId, text) {
  const now = Date.now();
  return {
    id: `out_${crypto.randomUUID()}`,
    business_id: businessId,
    direction: 'out',
    text,
    sent_at: new Date(now).toISOString(),
    at: now,
    status: 'sending',
    pending: 1,
  };
}

/** A reply the consumer sent from another of their devices (a `reply_echo` frame): already sent, never pending. */
export function echoRecord(frame) {
  const at = Date.parse(frame.sent_at) || Date.now();
  const record = {
    id: `echo_${frame.reply_id}`,
    business_id: frame.business_id,
    direction: 'out',
    text: frame.text,
    sent_at: new Date(at).toISOString(),
    at,
    status: 'sent',
    reply_id: frame.reply_id,
    elsewhere: true,
  };
  if (typeof frame.message_id === 'string')
    record.message_id = frame.message_id;
  return record;
}

/** The sender as last seen in a message or the sender list, keeping the device's counters. */
export function mergeSender(existing, profile, extra = {}) {
  const sender = { business_id: profile.business_id, unread: 0, blocked: false, ...existing };
  for (const field of PROFILE_FIELDS)
    sender[field] = profile[field] ?? (field === 'verified' || field === 'two_way' ? false : undefined);
  return Object.assign(sender, extra);
}

/** One line for the chat list. */
export function preview(record) {
  if (record.text)
    return record.text;
  if (record.image_url)
    return '📷 Photo';
  if (record.qr)
    return 'QR code';
  if (record.button)
    return record.button.caption;
  return record.url ?? '';
}

/** Makes `record` the sender's latest message if it is newer than what the list shows. */
export function withLast(sender, record) {
  if (sender.last_at !== undefined && sender.last_at > record.at)
    return sender;
  return { ...sender, last_at: record.at, last_preview: preview(record), last_direction: record.direction };
}
