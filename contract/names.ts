import { ACCESS_TOKEN_NAME_MAX_LENGTH } from './access-tokens';

// Characters that make a name lie about itself or break the places it is shown (logs, terminals,
// tables): control characters (NUL, ESC, CR, LF…), line and paragraph separators, bidirectional
// overrides and isolates, and halves of surrogate pairs (the `u` flag matches only lone ones).
const FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\p{Bidi_Control}\p{Cs}]/u;
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;

/** The name as it is stored: trimmed, and in NFC, so one name typed two ways is one name. */
export const normalizeTokenName = (name: string) => name.normalize('NFC').trim();

/** Characters as people (and the service's model) count them: code points, not UTF-16 units. */
export const countCharacters = (text: string) => [...text].length;

export type TokenNameProblem =
  | { kind: 'empty' }
  | { kind: 'too-long'; length: number }
  | { kind: 'forbidden'; codePoint: string }
  | { kind: 'invisible' };

/** What is wrong with a name, judged after normalizing it; undefined when nothing is. */
export function tokenNameProblem(name: string): TokenNameProblem | undefined {
  const forbidden = FORBIDDEN.exec(name);
  if (forbidden) {
    const codePoint = forbidden[0].codePointAt(0) ?? 0;
    return { kind: 'forbidden', codePoint: `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}` };
  }
  const normalized = normalizeTokenName(name);
  if (normalized.length === 0) return { kind: 'empty' };
  const length = countCharacters(normalized);
  if (length > ACCESS_TOKEN_NAME_MAX_LENGTH) return { kind: 'too-long', length };
  if (normalized.replace(INVISIBLE, '').length === 0) return { kind: 'invisible' };
  return undefined;
}

/** The service's wording of a name problem. */
export function tokenNameMessage(problem: TokenNameProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'name must not be empty.';
    case 'too-long':
      return `name must be at most ${ACCESS_TOKEN_NAME_MAX_LENGTH} characters; it has ${problem.length}.`;
    case 'forbidden':
      return `name must not contain control, line-break or text-direction characters (${problem.codePoint}).`;
    case 'invisible':
      return 'name must contain a visible character.';
  }
}
