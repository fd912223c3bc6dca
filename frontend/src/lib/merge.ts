// When a teammate saved the same campaign while this person was typing: a
// three-way merge of the draft's fields. A field only one side changed takes
// that change; a field both changed differently is a clash for the person to
// settle, and nothing is lost until they do.

export interface Merged<T> {
  /** Every field: the side that changed it, or the person's own where both did. */
  value: T;
  /** The fields both sides changed, to different values. */
  clashes: (keyof T)[];
}

/** Merges `mine` and `theirs`, both edited from `base`. */
export function mergeFields<T extends Record<string, unknown>>(base: T, mine: T, theirs: T): Merged<T> {
  const value = { ...mine };
  const clashes: (keyof T)[] = [];
  for (const key of Object.keys(mine) as (keyof T)[]) {
    if (mine[key] === base[key]) value[key] = theirs[key];
    else if (theirs[key] !== base[key] && theirs[key] !== mine[key]) clashes.push(key);
  }
  return { value, clashes };
}
