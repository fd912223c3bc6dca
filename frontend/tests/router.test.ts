import { describe, expect, it } from 'vitest';
import { match } from '../src/lib/match';
import { fieldErrors } from '../src/lib/api/problems';

describe('route matching', () => {
  it('extracts parameters', () => {
    expect(match('/cities/:slug', '/cities/larvik')).toEqual({ slug: 'larvik' });
    expect(match('/cities/:slug', '/cities/larvik/extra')).toBeNull();
    expect(match('/programmes/:id', '/cities/x')).toBeNull();
    expect(match('/cities/:slug', '/cities/l%C3%A6rdal')).toEqual({ slug: 'lærdal' });
  });
});

describe('problem details', () => {
  it('maps field errors, first message per field', () => {
    const problem = {
      type: 'urn:changemakers:problem:validation_failed', title: 'Unprocessable Entity', status: 422,
      detail: 'x', code: 'validation_failed',
      errors: [{ field: 'slug', message: 'bad' }, { field: 'slug', message: 'worse' }, { field: 'name', message: 'required' }],
    };
    expect(fieldErrors(problem)).toEqual({ slug: 'bad', name: 'required' });
    expect(fieldErrors('nonsense')).toEqual({});
    expect(fieldErrors(null)).toEqual({});
  });
});
