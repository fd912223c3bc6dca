// The app's languages and the reactive current locale. Each language is its
// own chunk, fetched when it is first needed: a visitor downloads one.
import type { Dictionary, MessageKey } from './en';
import { locales, negotiate, format, type Locale } from './format';

export { locales, negotiate, format, type Locale };

const loaders: Record<Locale, () => Promise<Dictionary>> = {
  en: () => import('./en').then((m) => m.en),
  nb: () => import('./nb').then((m) => m.nb),
  sv: () => import('./sv').then((m) => m.sv),
  da: () => import('./da').then((m) => m.da),
  fi: () => import('./fi').then((m) => m.fi),
  is: () => import('./is').then((m) => m.is),
};

/** Each language named in itself, for the language picker. */
export const localeNames: Record<Locale, string> = {
  en: 'English',
  nb: 'Norsk (bokmål)',
  sv: 'Svenska',
  da: 'Dansk',
  fi: 'Suomi',
  is: 'Íslenska',
};

// Replaced, never mutated, so that reading it is reactive and cheap.
let loaded = $state.raw<Partial<Record<Locale, Dictionary>>>({});
const pending = new Map<Locale, Promise<Dictionary>>();

/** Fetches a language's texts once. */
export function loadDictionary(locale: Locale): Promise<Dictionary> {
  const have = loaded[locale];
  if (have) return Promise.resolve(have);
  let promise = pending.get(locale);
  if (!promise) {
    promise = loaders[locale]().then((dictionary) => {
      loaded = { ...loaded, [locale]: dictionary };
      return dictionary;
    });
    promise.catch(() => pending.delete(locale));
    pending.set(locale, promise);
  }
  return promise;
}

/** The texts of `locale` once loaded, else of the current language. */
export function dictionary(locale: Locale = i18n.locale): Record<string, string> {
  return (loaded[locale] ?? loaded[i18n.locale] ?? {}) as Record<string, string>;
}

export function translate(
  locale: Locale,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  return format(dictionary(locale)[key] ?? key, params);
}

function stored(): Locale | null {
  const value = typeof localStorage !== 'undefined' ? localStorage.getItem('locale') : null;
  return value && (locales as string[]).includes(value) ? (value as Locale) : null;
}

const initial: Locale =
  stored() ?? negotiate(typeof navigator !== 'undefined' ? navigator.languages : []);

export const i18n = $state({ locale: initial });

/** Loads the first language before the app shows anything. */
export function startI18n(): Promise<unknown> {
  if (typeof document !== 'undefined') document.documentElement.lang = initial;
  return loadDictionary(initial).catch(() => loadDictionary('en'));
}

let requested = 0;

/** Switches language once its texts are here; the latest call wins. */
export async function setLocale(locale: Locale, remember = true) {
  const ticket = ++requested;
  if (remember && typeof localStorage !== 'undefined') localStorage.setItem('locale', locale);
  try {
    await loadDictionary(locale);
  } catch {
    return;
  }
  if (ticket !== requested) return;
  i18n.locale = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** Translates in the current locale; reactive in components. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(i18n.locale, key, params);
}
