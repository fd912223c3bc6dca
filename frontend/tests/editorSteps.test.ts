import { describe, expect, it } from 'vitest';
import { stepFrom, stepOf, stepsWith } from '../src/lib/editorSteps';

describe('editor steps', () => {
  it('leads each field to its step, and photos to the media step', () => {
    expect(stepOf('summary')).toBe('idea');
    expect(stepOf('body')).toBe('story');
    expect(stepOf('ends_on')).toBe('when');
    expect(stepOf('media')).toBe('media');
    expect(stepOf('media[0].alt')).toBe('media');
  });

  it('reads the step from the address and falls back to the first', () => {
    expect(stepFrom('?step=check')).toBe('check');
    expect(stepFrom('?step=nonsense')).toBe('idea');
    expect(stepFrom('')).toBe('idea');
  });

  it('collects the steps that hold errors', () => {
    expect([...stepsWith(['summary', 'title', 'location'])]).toEqual(['idea', 'when']);
  });
});
