// The unread count in the navigation, refreshed on sign-in, on each screen
// change and every minute while the tab is open.
import { api } from './api/client';
import type { components } from './api/schema';
import type { MessageKey } from './i18n/en';

export type Notification = components['schemas']['Notification'];

export const inbox = $state({ unread: 0 });

// Answers can arrive out of order: only the newest question's answer counts,
// and a count the app set itself (after marking read) outranks older questions.
let asked = 0;

export async function refreshUnread() {
  const mine = ++asked;
  const { data } = await api.GET('/me/notifications/unread');
  if (data && mine === asked) inbox.unread = data.unread;
}

export function setUnread(count: number) {
  asked += 1;
  inbox.unread = Math.max(0, count);
}

/** The sentence a notification shows, as a key and its values. */
export function wording(n: Notification): { key: MessageKey; params: Record<string, string | number> } {
  const params: Record<string, string | number> = { title: n.title };
  switch (n.kind) {
    case 'decision': {
      const outcome = (['approved', 'changes_requested', 'rejected', 'unpublished', 'archived'] as const).find(
        (o) => o === n.outcome,
      );
      return { key: `notify.decision.${outcome ?? 'changes_requested'}`, params };
    }
    case 'reach_decision':
      return n.outcome === 'verified'
        ? { key: 'notify.reach.verified', params: { ...params, n: n.people_verified ?? 0 } }
        : { key: 'notify.reach.declined', params };
    case 'invite':
      return { key: 'notify.invite', params };
    case 'team_member':
      return { key: n.outcome === 'lead' ? 'notify.team_lead' : 'notify.team_member', params };
    default:
      return { key: 'notify.report', params };
  }
}
