// The API client, typed from openapi/openapi.json (see `npm run gen:api`).
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

import { fieldErrors as fieldProblems } from './problems';
import { dictionary, i18n } from '../i18n/index.svelte';
import { format } from '../i18n/format';
import { formatNumber } from '../numbers';

export { isProblem } from './problems';

/** Field name -> first message from a 422 problem, in the app's language. */
export function fieldErrors(problem: unknown): Record<string, string> {
  const texts = dictionary();
  return fieldProblems(
    problem,
    (key, params) => (key in texts ? format(texts[key], params) : undefined),
    formatNumber,
  );
}

export type Problem = components['schemas']['Problem'];
export type Me = components['schemas']['MeResponse'];
export type City = components['schemas']['City'];
export type Programme = components['schemas']['Programme'];
export type RoleHolder = components['schemas']['RoleHolder'];

export const api = createClient<paths>({ baseUrl: '/api/v1', credentials: 'same-origin' });

// The server words its problems in the app's language when nobody is signed in.
api.use({
  onRequest({ request }) {
    request.headers.set('accept-language', i18n.locale);
    return request;
  },
});

