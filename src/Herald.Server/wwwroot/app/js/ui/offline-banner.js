// A strip across the top while the Messenger cannot reach Herald (no network, or the connection is down): the history
// on this device stays browsable; new messages and replies wait for the connection.
import { h } from './dom.js';

export function offlineBanner(gateway) {
  const element = h('div', { class: 'offline-banner', role: 'status', hidden: true },
    h('strong', { text: 'You are offline.' }),
    ' Your messages on this device are still here; new ones arrive once you are back online.');
  let connection = 'connecting';
  const update = () => {
    // "connecting" counts as online until it fails, so a normal start does not flash the banner.
    const offline = !navigator.onLine || connection === 'offline';
    element.hidden = !offline;
    document.body.toggleAttribute('data-offline', offline);
  };
  gateway.addEventListener('state', (event) => {
    connection = event.detail;
    update();
  });
  addEventListener('online', update);
  addEventListener('offline', update);
  update();
  return { element };
}
