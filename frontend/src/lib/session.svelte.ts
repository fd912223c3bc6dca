// The signed-in person, shared by every screen.
import { api, type Me } from './api/client';
import { setLocale, type Locale } from './i18n/index.svelte';

export const session = $state<{ me: Me | null; loaded: boolean }>({ me: null, loaded: false });

// Bumped by every change of who is signed in, so a slow, older answer
// (say, a /me started before a sign-in finished) cannot undo a newer one.
let generation = 0;

export function adopt(me: Me | null) {
  generation += 1;
  session.me = me;
  session.loaded = true;
  if (me) setLocale(me.locale as Locale);
}

export async function loadMe() {
  const started = generation;
  let me: Me | null = null;
  try {
    const { data } = await api.GET('/me');
    me = data ?? null;
  } catch {
    me = null;
  }
  if (generation === started) adopt(me);
}

export async function signOut() {
  await api.POST('/auth/logout');
  adopt(null);
}

export function isAdmin(me: Me | null): boolean {
  return !!me?.roles.some((r) => r.role === 'admin');
}

export function managesCity(me: Me | null, city: string): boolean {
  return isAdmin(me) || !!me?.roles.some((r) => r.role === 'city_admin' && r.city === city);
}
