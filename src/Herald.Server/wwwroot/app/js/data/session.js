// The signed-in device: its token, id and phone number, kept in this browser until sign-out. The page keeps it in
// localStorage; a copy goes to IndexedDB for the service worker (which has no localStorage), deleted with the history.
import { STORES, done, transact } from './db.js';

const { session: SESSION } = STORES;
const CURRENT = 'current';
const KEY = 'herald.session';
const NOTICE = 'herald.notice';

/** @returns {{token: string, device_id: string, phone: string} | null} */
export function loadSession() {
  try {
    const session = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    return session && typeof session.token === 'string' ? session : null;
  } catch {
    return null;
  }
}

const fields = (session) => ({ token: session.token, device_id: session.device_id, phone: session.phone });

export function saveSession(session) {
  localStorage.setItem(KEY, JSON.stringify(fields(session)));
}

/** Copies the session into IndexedDB, where the service worker finds the device token. */
export function mirrorSession(db, session) {
  return transact(db, [SESSION], 'readwrite', (s) => { s[SESSION].put(fields(session), CURRENT); });
}

/** The session the page mirrored, or null when no device is signed in. */
export async function mirroredSession(db) {
  const session = await transact(db, [SESSION], 'readonly', (s) => done(s[SESSION].get(CURRENT)));
  return typeof session?.token === 'string' ? session : null;
}

export function clearSession() {
  localStorage.removeItem(KEY);
}

/** A sentence for the sign-in screen after the app restarts (why the consumer was signed out). */
export function leaveNotice(text) {
  sessionStorage.setItem(NOTICE, text);
}

export function takeNotice() {
  const text = sessionStorage.getItem(NOTICE);
  sessionStorage.removeItem(NOTICE);
  return text;
}
