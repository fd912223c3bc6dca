// Every screen is its own chunk, fetched when it is first opened, so a first
// visit downloads the shell and the screen it lands on, nothing more.
import type { Component } from 'svelte';

// Screens take different props; each is checked where it is defined.
export type Loader = () => Promise<{ default: Component<any> }>;

export const pages = {
  SignIn: () => import('../routes/SignIn.svelte'),
  Verify: () => import('../routes/Verify.svelte'),
  Home: () => import('../routes/Home.svelte'),
  Account: () => import('../routes/Account.svelte'),
  Cities: () => import('../routes/Cities.svelte'),
  City: () => import('../routes/City.svelte'),
  Programme: () => import('../routes/Programme.svelte'),
  Join: () => import('../routes/Join.svelte'),
  Team: () => import('../routes/Team.svelte'),
  CampaignEditor: () => import('../routes/CampaignEditor.svelte'),
  ModerationQueue: () => import('../routes/ModerationQueue.svelte'),
  ModerationReports: () => import('../routes/ModerationReports.svelte'),
  ModerationAudit: () => import('../routes/ModerationAudit.svelte'),
  ModerationReach: () => import('../routes/ModerationReach.svelte'),
  Review: () => import('../routes/Review.svelte'),
  PublicCampaign: () => import('../routes/PublicCampaign.svelte'),
  Goal: () => import('../routes/Goal.svelte'),
  Dashboard: () => import('../routes/Dashboard.svelte'),
  Gallery: () => import('../routes/Gallery.svelte'),
  EmbedBuilder: () => import('../routes/EmbedBuilder.svelte'),
  Notifications: () => import('../routes/Notifications.svelte'),
} satisfies Record<string, Loader>;

type Screen = Awaited<ReturnType<Loader>>;
const fetched = new Map<Loader, Screen>();

/** The screen if it was fetched before: shown at once, without a loading state. */
export function ready(load: Loader): Screen | undefined {
  return fetched.get(load);
}

/** Fetches a screen and keeps it for the next visit. */
export async function fetchScreen(load: Loader): Promise<Screen> {
  const screen = await load();
  fetched.set(load, screen);
  return screen;
}
