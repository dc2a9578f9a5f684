// What a notification for a received message says: the sender's logo and name, a tick for a verified business, a
// "Promotion" label for promotional messages, and the text unless the consumer chose to hide it.
import { preview } from '../data/records.js';
import { chatPath } from '../ui/router.js';

const APP_ICON = '/app/icon-192.png';
const https = (url) => (typeof url === 'string' && url.startsWith('https://') ? url : undefined);

/** @returns {{title: string, options: NotificationOptions}} */
export function notificationFor(record, sender, { previews }) {
  const title = [sender.name || 'Herald', sender.verified && '✓', record.category === 'promotional' && '· Promotion']
    .filter(Boolean).join(' ');
  return {
    title,
    options: {
      body: previews ? preview(record) : 'New message',
      icon: https(sender.logo_url) ?? APP_ICON,
      badge: APP_ICON,
      image: previews ? https(record.image_url) : undefined,
      // One notification per chat, the latest message; it alerts again for each new one.
      tag: `chat:${record.business_id}`,
      renotify: true,
      timestamp: record.at,
      data: { business_id: record.business_id, message_id: record.id, path: chatPath(record.business_id) },
    },
  };
}

const PICTURE_WAIT_MS = 2000;
const MAX_PICTURE_BYTES = 1024 * 1024;

/**
 * The browser fetches a notification's icon and image before it shows anything, with no time limit of ours: a slow
 * or unreachable logo host would hold the notification back. So the worker fetches them itself, for two seconds at
 * most, and hands the browser data: URLs; a picture that does not come in time is left out (the app icon instead).
 */
export async function withPictures(options) {
  const pictures = Promise.all([inline(options.icon), inline(options.image)]);
  // Each fetch is aborted after the wait; this timer beside them makes sure nothing (a body that trickles, a fetch held
  // by something that ignores the abort) keeps the notification back longer.
  const late = new Promise((resolve) => { setTimeout(() => resolve([undefined, undefined]), PICTURE_WAIT_MS + 500); });
  const [icon, image] = await Promise.race([pictures, late]);
  return { ...options, icon: icon ?? APP_ICON, image };
}

async function inline(url) {
  if (!url || url === APP_ICON)
    return url;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PICTURE_WAIT_MS), credentials: 'omit' });
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.startsWith('image/'))
      return undefined;
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_PICTURE_BYTES)
      return undefined;
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return `data:${type.split(';')[0]};base64,${btoa(binary)}`;
  } catch {
    return undefined; // too slow, unreachable or refused: no picture rather than a late notification
  }
}
