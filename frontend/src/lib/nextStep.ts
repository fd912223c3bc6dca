// The one thing a participant should do next, from their teams and their
// campaigns (unit-tested): feedback to answer first, then a draft to
// finish, reach to log, a campaign waiting, a campaign to start, a team to join.
export interface TeamLike { id: string; name: string }
export interface CampaignLike { id: string; title: string; status: string; feedback?: string | null }

export type Step =
  | { kind: 'join' }
  | { kind: 'start'; team: TeamLike }
  | { kind: 'changes' | 'draft' | 'reach' | 'waiting'; campaign: CampaignLike };

const ORDER: [string, 'changes' | 'draft' | 'reach' | 'waiting'][] = [
  ['changes_requested', 'changes'],
  ['draft', 'draft'],
  ['approved', 'reach'],
  ['submitted', 'waiting'],
];

export function nextStep(teams: TeamLike[], campaigns: Record<string, CampaignLike[]>): Step {
  if (teams.length === 0) return { kind: 'join' };
  const all = teams.flatMap((team) => campaigns[team.id] ?? []);
  for (const [status, kind] of ORDER) {
    const campaign = all.find((c) => c.status === status);
    if (campaign) return { kind, campaign };
  }
  return { kind: 'start', team: teams[0] };
}
