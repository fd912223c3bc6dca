// Small helpers shared by the moderation screens.
import { t } from './i18n/index.svelte';
import type { MessageKey } from './i18n/en';

const fields: Record<string, MessageKey> = {
  title: 'campaign.title',
  summary: 'campaign.summary',
  body: 'campaign.body',
  hashtag: 'campaign.hashtag',
  audience: 'campaign.audience',
  location: 'campaign.location',
  theme: 'campaign.theme',
  starts_on: 'campaign.startsOn',
  ends_on: 'campaign.endsOn',
};

/** A campaign field's name as the person reads it (`media.2.alt_text` included). */
export function fieldLabel(field: string): string {
  const media = /^media\.(\d+)\.alt_text$/.exec(field);
  if (media) return t('mod.fieldMedia', { n: Number(media[1]) + 1 });
  return fields[field] ? t(fields[field]) : field;
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
