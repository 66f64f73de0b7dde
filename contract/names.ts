import { ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH, ACCESS_TOKEN_NAME_MAX_LENGTH } from './access-tokens';

// Characters that make a name lie about itself or break the places it is shown (logs, terminals,
// tables): control characters (NUL, ESC, CR, LF…), line and paragraph separators, bidirectional
// overrides and isolates, and halves of surrogate pairs (the `u` flag matches only lone ones).
const FORBIDDEN = /[\p{Cc}\p{Zl}\p{Zp}\p{Bidi_Control}\p{Cs}]/u;
// Characters that show nothing (zero-width spaces and joiners, soft hyphens, tag characters, fillers):
// anywhere in a name they make two names look alike.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
// Except where they are part of an emoji that is seen: the joiner inside 👨‍👩‍👧, the selector of ❤️ or 1️⃣.
const EMOJI_PARTS =
  /(?<=\p{Extended_Pictographic}\p{Emoji_Modifier}?\uFE0F?)\u200D(?=\p{Extended_Pictographic})|(?<=\p{Extended_Pictographic}\p{Emoji_Modifier}?|[0-9#*])[\uFE0E\uFE0F]/gu;
// A base character that shows: a letter, digit, punctuation or symbol, and not the blank Braille pattern.
const VISIBLE_BASE = /(?!\u2800)[\p{L}\p{N}\p{P}\p{S}]/u;

const codePointOf = (character: string) => `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The name as it is stored: trimmed, and in NFC, so one name typed two ways is one name. */
export const normalizeTokenName = (name: string) => name.normalize('NFC').trim();

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Characters as people count them: grapheme clusters, so that an emoji (👩‍💻, 👍🏽) or a letter
 * with its accents is one, in the console and the service alike; never UTF-16 units.
 */
export const countCharacters = (text: string): number => Array.from(graphemes.segment(text)).length;

export type TokenNameProblem =
  | { kind: 'empty' }
  | { kind: 'too-long'; length: number }
  | { kind: 'forbidden'; codePoint: string }
  | { kind: 'ignorable'; codePoint: string }
  | { kind: 'invisible' };

/** What is wrong with a name, judged after normalizing it; undefined when nothing is. */
export function tokenNameProblem(name: string): TokenNameProblem | undefined {
  const forbidden = FORBIDDEN.exec(name);
  if (forbidden) return { kind: 'forbidden', codePoint: codePointOf(forbidden[0]) };
  const ignorable = IGNORABLE.exec(name.replace(EMOJI_PARTS, ''));
  if (ignorable) return { kind: 'ignorable', codePoint: codePointOf(ignorable[0]) };
  const normalized = normalizeTokenName(name);
  if (normalized.length === 0) return { kind: 'empty' };
  const length = countCharacters(normalized);
  if (length > ACCESS_TOKEN_NAME_MAX_LENGTH) return { kind: 'too-long', length };
  if (!VISIBLE_BASE.test(normalized)) return { kind: 'invisible' };
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
    case 'ignorable':
      return `name must not contain characters that show nothing, such as zero-width spaces (${problem.codePoint}).`;
    case 'invisible':
      return 'name must contain a visible letter, digit, punctuation mark or symbol.';
  }
}

// A description may run over lines and hold tabs; what would make a name lie about itself, it refuses too.
const FORBIDDEN_IN_DESCRIPTION = /(?![\n\t])[\p{Cc}\p{Zl}\p{Zp}\p{Bidi_Control}\p{Cs}]/u;

/** A description as it is stored: NFC, line breaks as \n, trimmed; empty means none. */
export const normalizeDescription = (text: string) => text.normalize('NFC').replace(/\r\n?/g, '\n').trim();

export type DescriptionProblem = { kind: 'too-long'; length: number } | { kind: 'forbidden'; codePoint: string };

/** What is wrong with a description, judged after normalizing it; undefined when nothing is. */
export function descriptionProblem(text: string): DescriptionProblem | undefined {
  const normalized = normalizeDescription(text);
  const forbidden = FORBIDDEN_IN_DESCRIPTION.exec(normalized);
  if (forbidden) return { kind: 'forbidden', codePoint: codePointOf(forbidden[0]) };
  const length = countCharacters(normalized);
  return length > ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH ? { kind: 'too-long', length } : undefined;
}

/** The service's wording of a description problem. */
export function descriptionMessage(problem: DescriptionProblem): string {
  return problem.kind === 'too-long'
    ? `description must be at most ${ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH} characters; it has ${problem.length}.`
    : `description must not contain control or text-direction characters other than line breaks and tabs (${problem.codePoint}).`;
}

// Letters, digits, `.`, `_`, `-`; not starting with `.` or `-`; at most 100 characters.
const REPOSITORY_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

/** The rule of isRepositoryName, as the console and Git clients are told it. */
export const REPOSITORY_NAME_RULE =
  'A repository name has up to 100 letters, digits, dots, dashes and underscores, does not start with a dot or a dash, has no "..", and does not end in ".git".';

/** Whether `name` may name a Git repository: the same rule for URLs, the disk, a PAT's list and the console. */
export function isRepositoryName(name: string): boolean {
  return REPOSITORY_NAME.test(name) && !name.includes('..') && !name.toLowerCase().endsWith('.git');
}

/**
 * An e-mail address as the service takes one, from the proxy or typed in the console: a local part
 * and a domain, no spaces, no controls. Whether it works is for its confirmation link to show.
 */
export const EMAIL_ADDRESS = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]{1,189}$/u;
