import { describe, expect, it } from 'vitest';
import { match } from '../src/lib/match';

describe('route matching', () => {
  it('extracts parameters', () => {
    expect(match('/cities/:slug', '/cities/larvik')).toEqual({ slug: 'larvik' });
    expect(match('/cities/:slug', '/cities/larvik/extra')).toBeNull();
    expect(match('/programmes/:id', '/cities/x')).toBeNull();
    expect(match('/cities/:slug', '/cities/l%C3%A6rdal')).toEqual({ slug: 'lærdal' });
  });
});
