// The consumer REST API (docs/api.md). Errors arrive as problem+json with a stable `code`.
const BASE = '/consumer/v1';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, { token, body } = {}) {
  const headers = {};
  if (token)
    headers.Authorization = `Bearer ${token}`;
  if (body !== undefined)
    headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'Herald cannot be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const text = problem.errors ? Object.values(problem.errors).join('; ') : [problem.title, problem.detail].filter(Boolean).join(' ');
    throw new ApiError(response.status, problem.code ?? 'error', text || `Request failed (${response.status}).`);
  }
  return response;
}

const json = async (response) => (response.status === 204 ? null : response.json());

export async function requestCode(phone) {
  return json(await call('POST', '/sign-in/code', { body: { phone } }));
}

export async function signIn(phone, code) {
  return json(await call('POST', '/sign-in', { body: { phone, code } }));
}

/**
 * Calls made as a signed-in device. `onSignedOut` runs when Herald no longer knows the token (the device was signed
 * out or the account erased elsewhere).
 */
export function deviceApi(token, onSignedOut) {
  const request = async (method, path, body) => {
    try {
      return await call(method, path, { token, body });
    } catch (error) {
      if (error.status === 401)
        onSignedOut();
      throw error;
    }
  };
  const sender = (id) => `/senders/${encodeURIComponent(id)}`;
  return {
    senders: async () => json(await request('GET', '/senders')),
    setBlocked: async (businessId, blocked) => json(await request('POST', `${sender(businessId)}/${blocked ? 'block' : 'unblock'}`)),
    setMuted: async (businessId, muted) => json(await request('POST', `${sender(businessId)}/${muted ? 'mute' : 'unmute'}`)),
    devices: async () => (await json(await request('GET', '/devices'))).devices,
    signOutDevice: async (deviceId) => json(await request('DELETE', `/devices/${encodeURIComponent(deviceId)}`)),
    settings: async () => json(await request('GET', '/settings')),
    saveSettings: async (changes) => json(await request('PUT', '/settings', changes)),
    setRestricted: async (restricted) => json(await request('PUT', '/me/restriction', { restricted })),
    exportData: async () => (await request('GET', '/me/export')).blob(),
    eraseMe: async () => json(await request('DELETE', '/me')),
    signOut: async () => json(await request('DELETE', '/devices/current')),
    // Web Push and what the service worker does without a WebSocket (docs/api.md).
    pushKey: async () => (await json(await request('GET', '/push/key'))).public_key,
    savePushSubscription: async (subscription) => json(await request('PUT', '/push/subscription', subscription)),
    deletePushSubscription: async () => json(await request('DELETE', '/push/subscription')),
    waitingMessages: async () => (await json(await request('GET', '/messages/waiting'))).messages,
    ack: async (ack, messageIds) => json(await request('POST', '/acks', { ack, message_ids: messageIds })),
  };
}
