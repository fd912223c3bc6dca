// The campaign editor's short steps, and which step holds each field, so an
// error anywhere leads to the step where it can be fixed.

export const STEPS = ['idea', 'story', 'media', 'when', 'check'] as const;
export type Step = (typeof STEPS)[number];

const FIELD_STEP: Record<string, Step> = {
  title: 'idea',
  summary: 'idea',
  theme: 'idea',
  hashtag: 'idea',
  body: 'story',
  audience: 'story',
  starts_on: 'when',
  ends_on: 'when',
  location: 'when',
};

/** The step where `field` is edited; photos and anything else belong to the media step. */
export function stepOf(field: string): Step {
  return FIELD_STEP[field] ?? 'media';
}

/** A step named in the address (`?step=story`), or the first. */
export function stepFrom(search: string): Step {
  const named = new URLSearchParams(search).get('step');
  return (STEPS as readonly string[]).includes(named ?? '') ? (named as Step) : 'idea';
}

/** The steps that hold one of `fields`. */
export function stepsWith(fields: string[]): Set<Step> {
  return new Set(fields.map(stepOf));
}
