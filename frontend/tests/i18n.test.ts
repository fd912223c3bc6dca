import { describe, expect, it } from 'vitest';
import { en } from '../src/lib/i18n/en';
import { nb } from '../src/lib/i18n/nb';
import { sv } from '../src/lib/i18n/sv';
import { da } from '../src/lib/i18n/da';
import { fi } from '../src/lib/i18n/fi';
import { is } from '../src/lib/i18n/is';
import { format } from '../src/lib/i18n/format';

const others = { nb, sv, da, fi, is };

describe('translations', () => {
  for (const [name, dictionary] of Object.entries(others)) {
    it(`${name} has every key, none empty, with the same placeholders`, () => {
      expect(Object.keys(dictionary).sort()).toEqual(Object.keys(en).sort());
      for (const [key, english] of Object.entries(en)) {
        const text = dictionary[key as keyof typeof en];
        expect(text.trim(), `${name}.${key}`).not.toBe('');
        const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
        expect(placeholders(text), `${name}.${key}`).toEqual(placeholders(english));
      }
    });
  }

  it('fills placeholders and leaves unknown ones', () => {
    expect(format('Hi, {name}!', { name: 'Åse' })).toBe('Hi, Åse!');
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
