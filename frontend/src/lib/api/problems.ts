// RFC 9457 problems from the API, turned into what forms show (unit-tested).
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
  min?: number;
  max?: number;
}

export interface ProblemShape {
  code: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
}

/** Words a field problem in the person's language; `undefined` keeps the server's message. */
export type Describe = (key: string, params: Record<string, string | number>) => string | undefined;

/** True when `value` looks like a problem from our API. */
export function isProblem(value: unknown): value is ProblemShape {
  return typeof value === 'object' && value !== null && 'code' in value && 'status' in value;
}

/** The field's name without list positions: `media.2.alt_text` -> `alt_text`. */
export function fieldName(field: string): string {
  const parts = field.split('.').filter((p) => !/^\d+$/.test(p));
  return parts[parts.length - 1] ?? field;
}

/**
 * The keys to look up for one field problem, most specific first: the field
 * and its code (`field.summary.required`), then the code alone, with the
 * range wording when both ends are known.
 */
export function messageKeys(error: FieldProblem): string[] {
  const generic =
    error.code === 'out_of_range' && error.min !== undefined && error.max !== undefined
      ? 'field.out_of_range_between'
      : `field.${error.code}`;
  return [`field.${fieldName(error.field)}.${error.code}`, generic];
}

/** One field problem, in words: the first translation found, else the server's message. */
export function describeField(
  error: FieldProblem,
  describe: Describe,
  number: (n: number) => string = String,
): string {
  const params: Record<string, string | number> = {};
  if (error.min !== undefined) params.min = number(error.min);
  if (error.max !== undefined) params.max = number(error.max);
  for (const key of messageKeys(error)) {
    const text = describe(key, params);
    if (text !== undefined) return text;
  }
  return error.message;
}

/** Field name -> first message, from a 422 problem. */
export function fieldErrors(
  problem: unknown,
  describe: Describe = () => undefined,
  number: (n: number) => string = String,
): Record<string, string> {
  if (!isProblem(problem)) return {};
  const out: Record<string, string> = {};
  for (const error of problem.errors ?? []) {
    if (!(error.field in out)) out[error.field] = describeField(error, describe, number);
  }
  return out;
}
