// RFC 9457 problems from the API, turned into what forms show (unit-tested).
export interface ProblemShape {
  code: string;
  status: number;
  errors?: { field: string; message: string }[];
}

/** True when `value` looks like a problem from our API. */
export function isProblem(value: unknown): value is ProblemShape {
  return typeof value === 'object' && value !== null && 'code' in value && 'status' in value;
}

/** Field name -> first message, from a 422 problem. */
export function fieldErrors(problem: unknown): Record<string, string> {
  if (!isProblem(problem)) return {};
  const out: Record<string, string> = {};
  for (const error of problem.errors ?? []) {
    if (!(error.field in out)) out[error.field] = error.message;
  }
  return out;
}
