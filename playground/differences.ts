/**
 * The differences panel's content, made from docs/intended-differences.md
 * (imported as text at build time, so the panel and the page of record never
 * disagree): the table of deliberate differences and the paragraphs around it.
 * Pure, so a unit test checks it against the real file.
 */

export interface Differences {
  headers: string[];
  rows: string[][];
  /** Prose paragraphs of "The differences" section (after the table). */
  notes: string[];
}

/** Split a Markdown table row (`| a | b \| c |`) into its cells. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

export function parseDifferences(markdown: string): Differences {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('The differences')) ?? '';
  const lines = section.split('\n');
  const table = lines.filter((l) => l.trim().startsWith('|'));
  const [head, , ...body] = table;
  const notes = lines
    .filter((l) => !l.trim().startsWith('|'))
    .slice(1)
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
  return { headers: head ? cells(head) : [], rows: body.map(cells), notes };
}

/** Inline Markdown (`code`, **bold**) as text pieces, for the panel to render without innerHTML. */
export function inline(text: string): { code?: boolean; bold?: boolean; text: string }[] {
  const pieces: { code?: boolean; bold?: boolean; text: string }[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) pieces.push({ text: text.slice(last, match.index) });
    pieces.push(match[1] !== undefined ? { code: true, text: match[1] } : { bold: true, text: match[2]! });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last) });
  return pieces;
}
