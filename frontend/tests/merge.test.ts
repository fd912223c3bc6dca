import { describe, expect, it } from 'vitest';
import { mergeFields } from '../src/lib/merge';

const base = { title: 'Hils', summary: 'Say hi', location: '' };

describe('mergeFields', () => {
  it('keeps both when each side changed a different field', () => {
    const mine = { ...base, summary: 'Say hi to everyone' };
    const theirs = { ...base, location: 'Larvik' };
    expect(mergeFields(base, mine, theirs)).toEqual({
      value: { title: 'Hils', summary: 'Say hi to everyone', location: 'Larvik' },
      clashes: [],
    });
  });

  it('names a field both changed differently and keeps the person’s own text in it', () => {
    const mine = { ...base, title: 'Hils for faen' };
    const theirs = { ...base, title: 'Hils!', location: 'Larvik' };
    const merged = mergeFields(base, mine, theirs);
    expect(merged.clashes).toEqual(['title']);
    expect(merged.value).toEqual({ title: 'Hils for faen', summary: 'Say hi', location: 'Larvik' });
  });

  it('is no clash when both made the same change', () => {
    const same = { ...base, title: 'Hils!' };
    expect(mergeFields(base, same, { ...same }).clashes).toEqual([]);
  });

  it('takes the teammate’s version when the person changed nothing', () => {
    const theirs = { title: 'New', summary: 'New summary', location: 'Oslo' };
    expect(mergeFields(base, { ...base }, theirs).value).toEqual(theirs);
  });
});
