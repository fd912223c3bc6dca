// A word-level diff of two texts, for showing a moderator what changed
// between the published and the proposed version of a campaign.

export interface Part {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Words and the whitespace after them, so joining the parts gives the text back. */
function words(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** The parts that turn `before` into `after`, by longest common subsequence of words. */
export function diffWords(before: string, after: string): Part[] {
  const a = words(before);
  const b = words(after);
  // Texts are bounded (10 000 characters), so the table stays small enough.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i].trim() === b[j].trim() ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const parts: Part[] = [];
  const push = (kind: Part['kind'], text: string) => {
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i].trim() === b[j].trim()) {
      // Keep a space where either version had one, so parts never run together.
      const space = /\s+$/.exec(b[j])?.[0] || /\s+$/.exec(a[i])?.[0] || '';
      push('same', b[j].trimEnd() + space);
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      push('removed', a[i++]);
    } else {
      push('added', b[j++]);
    }
  }
  while (i < a.length) push('removed', a[i++]);
  while (j < b.length) push('added', b[j++]);
  return parts;
}
