// Addresses inside the app, so a reload or a shared link opens the same screen:
// /app/ (the chat list), /app/chats/{business_id}, /app/settings.
export const ROUTE_EVENT = 'herald:route';

export function currentRoute() {
  const path = location.pathname.replace(/^\/app\/?/, '');
  const chat = /^chats\/([^/]+)$/.exec(path);
  if (chat)
    return { view: 'chat', businessId: decodeURIComponent(chat[1]) };
  if (path === 'settings')
    return { view: 'settings' };
  return { view: 'list' };
}

export const chatPath = (businessId) => `/app/chats/${encodeURIComponent(businessId)}`;

export function navigate(path, { replace = false } = {}) {
  if (path !== location.pathname)
    history[replace ? 'replaceState' : 'pushState'](null, '', path);
  dispatchEvent(new Event(ROUTE_EVENT));
}

/** Same-app links change the screen without reloading the page. */
export function handleLinks(root) {
  root.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-route]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(link.getAttribute('href'));
  });
  addEventListener('popstate', () => dispatchEvent(new Event(ROUTE_EVENT)));
}
