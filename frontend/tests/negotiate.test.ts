import { describe, expect, it } from 'vitest';
import { negotiate } from '../src/lib/i18n/format';

describe('language negotiation', () => {
  it('maps Norwegian variants to bokmål and falls back to English', () => {
    expect(negotiate(['nn-NO', 'en'])).toBe('nb');
    expect(negotiate(['de-DE', 'sv-SE'])).toBe('sv');
    expect(negotiate(['fi'])).toBe('fi');
    expect(negotiate(['de'])).toBe('en');
    expect(negotiate([])).toBe('en');
  });
});
