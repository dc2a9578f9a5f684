// The signed-in Messenger: the chat list beside (desktop) or before (phone) the open chat or the settings.
import { deleteDb, openDb } from './data/db.js';
import { Inbox } from './data/inbox.js';
import { clearSession, leaveNotice, mirrorSession } from './data/session.js';
import { deviceApi } from './net/api.js';
import { Gateway } from './net/gateway.js';
import { listenToWorker, registerWorker, unsubscribe } from './net/push.js';
import { fill, h } from './ui/dom.js';
import { icon } from './ui/icons.js';
import { brandMark } from './ui/brand.js';
import { chatList } from './ui/chat-list.js';
import { chatView } from './ui/chat-view.js';
import { notifyPrompt } from './ui/notify-prompt.js';
import { offlineBanner } from './ui/offline-banner.js';
import { settingsView } from './ui/settings-view.js';
import { ROUTE_EVENT, currentRoute, handleLinks, navigate } from './ui/router.js';
import { focusHeading } from './ui/focus.js';

const CONNECTION_TEXT = { connecting: 'Connecting…', offline: 'Offline, reconnecting…', online: '' };

function welcome() {
  return {
    element: h('section', { class: 'pane-empty' },
      icon('chat'),
      h('p', { class: 'empty-title', text: 'Choose a chat' }),
      h('p', { text: 'Your history is kept on this device only: Herald deletes each message once it has reached you.' })),
  };
}

/** @param {{focus?: boolean}} options focus: move focus to the first screen's heading (just signed in) */
export async function startMessenger(root, session, { focus = false } = {}) {
  const db = await openDb();
  await mirrorSession(db, session); // for the service worker, which acks pushed messages with the device token
  const gateway = new Gateway(session.token);
  let inbox = null;
  let ending = false;

  /** Forgets this device: the token, then the history, then starts again at the sign-in screen. */
  const endSession = async (notice) => {
    if (ending)
      return;
    ending = true;
    gateway.stop();
    inbox?.close();
    clearSession();
    await deleteDb(db).catch((error) => console.error('Could not delete the history', error));
    leaveNotice(notice);
    location.replace('/app/');
  };
  const api = deviceApi(session.token, () => endSession('You were signed out. Sign in again to receive your messages here.'));
  // Signing out ends push first, while the token still works; Herald also drops the subscription with the device.
  const signOut = async () => {
    await unsubscribe(api).catch((error) => console.warn('Push subscription not removed', error));
    return api.signOut();
  };
  inbox = new Inbox(db, gateway, api);
  await inbox.load();
  registerWorker().catch((error) => console.warn('Service worker not registered: no offline start, no notifications', error));
  listenToWorker({ onStored: (id) => inbox.showStored(id), onOpen: (path) => navigate(path) });

  const list = chatList(inbox);
  const connection = h('span', { class: 'connection', role: 'status' });
  const settingsLink = h('a', { class: 'icon-button', href: '/app/settings', 'data-route': true, 'aria-label': 'Settings', title: 'Settings' }, icon('settings'));
  // One `main` for the whole app, so the chat list is in it on a phone, where it is the only thing on screen.
  const pane = h('section', { class: 'pane' });
  const sidebar = h('div', { class: 'sidebar' },
    h('header', { class: 'sidebar-header' },
      h('h1', { class: 'brand' }, brandMark(), h('span', { text: 'Herald' }), h('span', { class: 'sr-only', text: ' chats' })),
      connection, settingsLink),
    notifyPrompt(api).element,
    list.element);
  const shell = h('main', { class: 'shell', id: 'content' }, sidebar, pane);
  fill(root, offlineBanner(gateway).element, shell);
  handleLinks(shell);

  let screen = null;
  const show = () => {
    const route = currentRoute();
    screen?.dispose?.();
    shell.dataset.view = route.view;
    list.setActive(route.view === 'chat' ? route.businessId : null);
    if (route.view === 'settings')
      settingsLink.setAttribute('aria-current', 'page');
    else
      settingsLink.removeAttribute('aria-current');
    if (route.view === 'chat')
      screen = chatView({ inbox, businessId: route.businessId });
    else if (route.view === 'settings')
      screen = settingsView({ api: { ...api, signOut }, inbox, db, session, endSession });
    else
      screen = welcome();
    fill(pane, screen.element);
  };
  addEventListener(ROUTE_EVENT, () => {
    show();
    focusHeading(pane, sidebar);
  });
  show();
  if (focus)
    focusHeading(pane, sidebar);

  const updateTitle = () => {
    const unread = inbox.unreadTotal();
    document.title = unread > 0 ? `(${unread}) Herald Messenger` : 'Herald Messenger';
  };
  inbox.addEventListener('chats', updateTitle);
  updateTitle();

  gateway.addEventListener('state', (event) => {
    document.body.dataset.connection = event.detail;
    connection.textContent = CONNECTION_TEXT[event.detail];
  });
  // Closed with 1008: signed out elsewhere or erased? Any API call answers 401 then, which ends the session here.
  gateway.addEventListener('rejected', () => api.settings().catch(() => {}));
  gateway.start();
}
