// The Console speaks only the public APIs. The credential lives in sessionStorage: it is gone when the tab closes.

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
export async function api(method, path, body, token = session.get()?.token) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { code: 'unreachable', title: 'Herald did not answer.', detail: 'Check the server is running.' });
  }
  if (response.status === 204) return null;
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && !token) session.clear();
    throw new ApiError(response.status, json ?? {});
  }
  return json;
}
