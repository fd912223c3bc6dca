import { describe, expect, it } from 'vitest';
import { diffWords } from '../src/lib/diff';

describe('diffWords', () => {
  it('marks added and removed words and keeps the rest', () => {
    expect(diffWords('Meet us at the gate', 'Meet us at the festival gate')).toEqual([
      { kind: 'same', text: 'Meet us at the ' },
      { kind: 'added', text: 'festival ' },
      { kind: 'same', text: 'gate' },
    ]);
    expect(diffWords('say hi to Maja', 'say hi')).toEqual([
      { kind: 'same', text: 'say hi ' },
      { kind: 'removed', text: 'to Maja' },
    ]);
  });

  it('rebuilds both texts from the parts', () => {
    const before = 'One two three\n\nfour five';
    const after = 'One three\n\nfour and five six';
    const parts = diffWords(before, after);
    expect(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('').replace(/\s+/g, ' ').trim()).toBe(before.replace(/\s+/g, ' '));
    expect(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe(after);
  });

  it('handles empty texts', () => {
    expect(diffWords('', 'New')).toEqual([{ kind: 'added', text: 'New' }]);
    expect(diffWords('Old', '')).toEqual([{ kind: 'removed', text: 'Old' }]);
    expect(diffWords('', '')).toEqual([]);
  });
});
