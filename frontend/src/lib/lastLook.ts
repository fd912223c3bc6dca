// When a person last looked at a programme's overview, kept on their device,
// so the overview can say what changed since. Only a time is kept.

const key = (userId: string, programmeId: string) => `changemakers.looked.${userId}.${programmeId}`;

/** The previous look, or `undefined` the first time (the server then counts a week). */
export function lastLook(userId: string, programmeId: string, storage: Storage = localStorage): string | undefined {
  try {
    const value = storage.getItem(key(userId, programmeId));
    return value && !Number.isNaN(Date.parse(value)) ? value : undefined;
  } catch {
    return undefined; // storage switched off
  }
}

/** Remembers `at` as the latest look. */
export function remember(userId: string, programmeId: string, at: string, storage: Storage = localStorage): void {
  try {
    storage.setItem(key(userId, programmeId), at);
  } catch {
    // Without storage the overview counts the last week each time.
  }
}
