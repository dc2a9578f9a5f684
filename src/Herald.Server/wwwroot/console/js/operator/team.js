import { may } from '../api.js';
import { peoplePage } from '../people.js';
import { tokensCard } from './tokens.js';

const ROLES = [
  ['viewer', 'Viewer — reads everything, changes nothing'],
  ['reviewer', 'Reviewer — the template queue only'],
  ['admin', 'Admin — everything but owners'],
  ['owner', 'Owner — everything'],
];

export async function render(main) {
  await peoplePage(main, {
    title: 'Team',
    intro: 'The people who run this Herald. Owners and admins sign in with an authenticator app too.',
    list: '/admin/v1/operators',
    invite: '/admin/v1/operators/invitations',
    person: p => `/admin/v1/operators/${encodeURIComponent(p.account_id)}`,
    roles: ROLES,
    manage: may('ManageTeam'),
    reset: true,
    empty: 'Nobody yet: invite the first owner with the operator token (herald operator invite).',
  });
  main.append(await tokensCard());
}
