import { describe, expect, it } from 'vitest';
import { describeField, fieldErrors, messageKeys, type Describe } from '../src/lib/api/problems';
import { en } from '../src/lib/i18n/en';
import { nb } from '../src/lib/i18n/nb';
import { format } from '../src/lib/i18n/format';

const from = (dictionary: Record<string, string>): Describe => (key, params) =>
  key in dictionary ? format(dictionary[key], params) : undefined;

const problem = (errors: object[]) => ({
  type: 'urn:changemakers:problem:validation_failed', title: 'Unprocessable Entity', status: 422,
  detail: 'x', code: 'validation_failed', errors,
});

describe('problem details', () => {
  it('keeps the first message per field, and the server message without a translation', () => {
    const body = problem([
      { field: 'slug', code: 'invalid_format', message: 'bad' },
      { field: 'slug', code: 'too_long', message: 'worse' },
      { field: 'name', code: 'required', message: 'required' },
    ]);
    expect(fieldErrors(body)).toEqual({ slug: 'bad', name: 'required' });
    expect(fieldErrors('nonsense')).toEqual({});
    expect(fieldErrors(null)).toEqual({});
  });

  it('translates by code, the field-specific text first', () => {
    const body = problem([
      { field: 'summary', code: 'required', message: 'write a summary before submitting' },
      { field: 'title', code: 'too_long', message: 'at most 120 characters', max: 120 },
      { field: 'media.1.alt_text', code: 'required', message: 'describe this photo' },
      { field: 'people_reached', code: 'out_of_range', message: 'a number', min: 1, max: 1000000 },
    ]);
    const spaced = (n: number) => new Intl.NumberFormat('nb').format(n);
    expect(fieldErrors(body, from(nb), spaced)).toEqual({
      summary: nb['field.summary.required'],
      title: 'Bruk høyst 120 tegn.',
      'media.1.alt_text': nb['field.alt_text.required'],
      people_reached: `Velg et tall fra 1 til ${spaced(1000000)}.`,
    });
    expect(fieldErrors(body, from(en)).title).toBe('Use at most 120 characters.');
  });

  it('has a text for every code of the contract, in every language', () => {
    const codes = ['required', 'too_short', 'too_long', 'out_of_range', 'invalid_format', 'not_allowed', 'in_the_future'];
    for (const code of codes) {
      const error = { field: 'x', code, message: 'server', min: 1, max: 2 };
      expect(messageKeys(error).some((k) => k in en), code).toBe(true);
      expect(describeField(error, from(nb))).not.toBe('server');
    }
  });
});
