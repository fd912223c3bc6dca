import { describe, expect, it } from 'vitest';
import { nextStep } from '../src/lib/nextStep';

const team = { id: 't', name: 'Team Sol' };
const c = (status: string, id = status) => ({ id, title: id, status });

describe('next step', () => {
  it('asks to join without a team, to start with no campaign', () => {
    expect(nextStep([], {})).toEqual({ kind: 'join' });
    expect(nextStep([team], { t: [] })).toEqual({ kind: 'start', team });
    expect(nextStep([team], { t: [c('rejected')] })).toEqual({ kind: 'start', team });
  });

  it('puts feedback first, then the draft, then reach, then waiting', () => {
    const all = [c('submitted'), c('approved'), c('draft'), c('changes_requested')];
    expect(nextStep([team], { t: all }).kind).toBe('changes');
    expect(nextStep([team], { t: all.slice(0, 3) }).kind).toBe('draft');
    expect(nextStep([team], { t: all.slice(0, 2) }).kind).toBe('reach');
    expect(nextStep([team], { t: all.slice(0, 1) }).kind).toBe('waiting');
  });
});
