// The consumer WebSocket (docs/protocol.md). A browser cannot set headers on a WebSocket, so the token goes in the
// first frame. A dropped connection is retried with exponential backoff (0.5 s doubling to 30 s, ±20% so that many
// devices do not come back in step), at once when the browser comes back online or the page becomes visible.
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const POLICY_VIOLATION = 1008; // Herald closes with it when the device signed out or the account was erased

/**
 * Events: `state` (detail: 'connecting' | 'online' | 'offline'), `ready`, `frame` (detail: a server frame other
 * than ready), `closed`, `rejected` (closed with 1008: the token may no longer be valid).
 */
export class Gateway extends EventTarget {
  #token;
  #socket = null;
  #ready = false;
  #attempt = 0;
  #timer = 0;
  #stopped = false;
  #retryNow = () => {
    if (!this.#stopped && !this.#socket)
      this.#open();
  };

  constructor(token) {
    super();
    this.#token = token;
  }

  get online() {
    return this.#ready;
  }

  start() {
    addEventListener('online', this.#retryNow);
    document.addEventListener('visibilitychange', this.#retryNow);
    this.#open();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    removeEventListener('online', this.#retryNow);
    document.removeEventListener('visibilitychange', this.#retryNow);
    this.#socket?.close(1000);
  }

  /** Sends a frame if the connection is up and authenticated; false when it is not (the caller tries again later). */
  send(frame) {
    if (!this.#ready)
      return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  #open() {
    clearTimeout(this.#timer);
    const url = new URL('/consumer/v1/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    this.#socket = socket;
    this.#emit('state', 'connecting');
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token: this.#token }));
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => {
      if (this.#socket !== socket)
        return;
      this.#socket = null;
      this.#ready = false;
      this.dispatchEvent(new Event('closed'));
      if (this.#stopped)
        return;
      if (event.code === POLICY_VIOLATION)
        this.dispatchEvent(new Event('rejected'));
      this.#scheduleRetry();
    };
  }

  #receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame?.type === 'ready') {
      this.#ready = true;
      this.#attempt = 0;
      this.#emit('state', 'online');
      this.dispatchEvent(new Event('ready'));
    } else if (frame && typeof frame.type === 'string') {
      this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
    }
  }

  #scheduleRetry() {
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.#attempt) * (0.8 + Math.random() * 0.4);
    this.#attempt++;
    this.#emit('state', 'offline');
    this.#timer = setTimeout(() => this.#open(), delay);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
