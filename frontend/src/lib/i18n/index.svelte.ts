// The app's languages and the reactive current locale.
import { en, type Dictionary, type MessageKey } from './en';
import { nb } from './nb';
import { sv } from './sv';
import { da } from './da';
import { fi } from './fi';
import { is } from './is';
import { locales, negotiate, format, type Locale } from './format';

export { locales, negotiate, format, type Locale };

export const dictionaries: Record<Locale, Dictionary> = { en, nb, sv, da, fi, is };
/** Each language named in itself, for the language picker. */
export const localeNames: Record<Locale, string> = {
  en: 'English',
  nb: 'Norsk (bokmål)',
  sv: 'Svenska',
  da: 'Dansk',
  fi: 'Suomi',
  is: 'Íslenska',
};

export function translate(
  locale: Locale,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  return format(dictionaries[locale][key] ?? en[key], params);
}

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('locale') : null;
const initial: Locale =
  stored && (locales as string[]).includes(stored)
    ? (stored as Locale)
    : negotiate(typeof navigator !== 'undefined' ? navigator.languages : []);

export const i18n = $state({ locale: initial });

export function setLocale(locale: Locale) {
  i18n.locale = locale;
  if (typeof localStorage !== 'undefined') localStorage.setItem('locale', locale);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** Translates in the current locale; reactive in components. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(i18n.locale, key, params);
}
