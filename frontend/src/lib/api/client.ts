// The API client, typed from openapi/openapi.json (see `npm run gen:api`).
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export { isProblem, fieldErrors } from './problems';

export type Problem = components['schemas']['Problem'];
export type Me = components['schemas']['MeResponse'];
export type City = components['schemas']['City'];
export type Programme = components['schemas']['Programme'];
export type RoleHolder = components['schemas']['RoleHolder'];

export const api = createClient<paths>({ baseUrl: '/api/v1', credentials: 'same-origin' });

