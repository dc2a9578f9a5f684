import { peoplePage } from '../people.js';

export const ROLES = [
  ['viewer', 'Viewer — reads everything, changes nothing'],
  ['marketer', 'Marketer — campaigns, inbox, templates, stats'],
  ['developer', 'Developer — keys, webhook, templates, test sends, stats'],
  ['owner', 'Owner — everything, members included'],
];

export function render(main) {
  return peoplePage(main, {
    title: 'Members',
    intro: 'The people of your business who use this Console. Owners sign in with an authenticator app too.',
    list: '/v1/members',
    invite: '/v1/members/invitations',
    person: p => `/v1/members/${encodeURIComponent(p.account_id)}`,
    roles: ROLES,
    manage: true,
    reset: true,
    empty: 'Nobody yet.',
  });
}
