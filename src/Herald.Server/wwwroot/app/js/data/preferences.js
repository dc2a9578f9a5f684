// Choices kept on this device only (IndexedDB store `settings`), read by the service worker too.
import { STORES, done, transact } from './db.js';

const { settings: SETTINGS } = STORES;

/** "Show message text in notifications": on unless the consumer turned it off. */
export const NOTIFICATION_PREVIEWS = 'notification_previews';
const DEFAULTS = { [NOTIFICATION_PREVIEWS]: true };

export async function readPreference(db, key) {
  const value = await transact(db, [SETTINGS], 'readonly', (s) => done(s[SETTINGS].get(key)));
  return value ?? DEFAULTS[key];
}

export function savePreference(db, key, value) {
  return transact(db, [SETTINGS], 'readwrite', (s) => { s[SETTINGS].put(value, key); });
}
