// The signed-in device: its token, id and phone number, kept in this browser until sign-out.
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

export function saveSession(session) {
  localStorage.setItem(KEY, JSON.stringify({ token: session.token, device_id: session.device_id, phone: session.phone }));
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
