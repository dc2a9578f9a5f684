// The Console speaks only the public APIs. A person signed in with e-mail and password holds a session cookie
// (HttpOnly: no script reads it) and sends the antiforgery token with every change; a token or API key pasted for
// automation or by a business lives in sessionStorage, gone when the tab closes.

const KEY = 'herald.console.credential';

export const session = {
  get() {
    const raw = sessionStorage.getItem(KEY);
    return raw ? JSON.parse(raw) : null;
  },
  set(value) { sessionStorage.setItem(KEY, JSON.stringify(value)); },
  clear() { sessionStorage.removeItem(KEY); },
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title ?? `HTTP ${status}`);
    Object.assign(this, { status, code: problem.code, title: problem.title, detail: problem.detail, errors: problem.errors });
  }
}

/** Calls the API with the session's credential (or `token`); resolves to the JSON answer, or null for 204. */
export async function api(method, path, body, token) {
  const who = session.get();
  const given = token !== undefined;
  token ??= who?.token;
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (who?.antiforgery && method !== 'GET') headers['X-Herald-Antiforgery'] = who.antiforgery;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'unreachable', title: 'Herald did not answer.', detail: 'Check the server is running.' });
  }
  if (response.status === 204) return null;
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && !given) session.clear();
    throw new ApiError(response.status, json ?? {});
  }
  return json;
}

/** A signed-in person's session from the cookie (after a reload or in a new tab), or null. */
export async function resumeSession() {
  try {
    const me = await api('GET', '/auth/v1/session');
    return personSession(me);
  } catch {
    return null;
  }
}

export function personSession(me) {
  const value = {
    role: me.business_id ? 'business' : 'operator', person: true, name: me.email, title: me.role, businessId: me.business_id,
    capabilities: me.capabilities, antiforgery: me.antiforgery_token,
  };
  session.set(value);
  return value;
}

// What only a business's members may do: no API key holds these.
const MEMBERS_ONLY = ['members', 'keys'];

/**
 * Whether the signed-in person may do this: an operator's capability, or a member's scope (a viewer only reads).
 * An operator token may do everything; an API key what the business API lets it, never the members' own pages.
 */
export function may(capability, { write = false } = {}) {
  const who = session.get();
  if (!who?.person) return !(who?.role === 'business' && MEMBERS_ONLY.includes(capability));
  return who.capabilities.includes(capability) && !(write && who.title === 'viewer');
}
