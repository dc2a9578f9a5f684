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
