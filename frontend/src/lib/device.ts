// The server names a device "Browser on System" (or nothing); this says it
// in the person's language, for the account's sessions and for a sign-in
// link opened on another device.
import { t } from './i18n/index.svelte';

export function deviceName(device: string | null | undefined): string {
  if (!device) return t('sessions.unknown');
  const [browser, system] = device.split(' on ');
  return system ? t('sessions.deviceOn', { browser, system }) : device;
}
