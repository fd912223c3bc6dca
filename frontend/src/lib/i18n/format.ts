// Pure helpers for translations, free of component state (unit-tested).
export type Locale = 'en' | 'nb' | 'sv' | 'da' | 'fi' | 'is';
export const locales: Locale[] = ['en', 'nb', 'sv', 'da', 'fi', 'is'];

/** The first supported language in a list like `navigator.languages`. */
export function negotiate(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (primary === 'no' || primary === 'nn') return 'nb';
    if ((locales as string[]).includes(primary)) return primary as Locale;
  }
  return 'en';
}

/** Fills `{name}` placeholders; unknown ones are left as they are. */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
