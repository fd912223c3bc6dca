import { describe, expect, it } from 'vitest';
import { lastLook, remember } from '../src/lib/lastLook';

class Memory implements Storage {
  private items = new Map<string, string>();
  get length() { return this.items.size; }
  clear() { this.items.clear(); }
  getItem(k: string) { return this.items.get(k) ?? null; }
  key(i: number) { return [...this.items.keys()][i] ?? null; }
  removeItem(k: string) { this.items.delete(k); }
  setItem(k: string, v: string) { this.items.set(k, v); }
}

describe('last look', () => {
  it('is nothing the first time, then the time remembered, per person and programme', () => {
    const storage = new Memory();
    expect(lastLook('u1', 'p1', storage)).toBeUndefined();
    remember('u1', 'p1', '2026-11-30T10:00:00Z', storage);
    expect(lastLook('u1', 'p1', storage)).toBe('2026-11-30T10:00:00Z');
    expect(lastLook('u1', 'p2', storage)).toBeUndefined();
    expect(lastLook('u2', 'p1', storage)).toBeUndefined();
  });

  it('ignores what is not a time', () => {
    const storage = new Memory();
    storage.setItem('changemakers.looked.u1.p1', 'yesterday-ish');
    expect(lastLook('u1', 'p1', storage)).toBeUndefined();
  });
});
