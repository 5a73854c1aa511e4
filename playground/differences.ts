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
  // Notes: the prose around the table, and the deliberate differences the test cannot compare (their own section).
  const beyond = markdown.split(/^## /m).find((s) => s.startsWith('Deliberate')) ?? '';
  const notes = [
    ...paragraphs(lines.filter((l) => !l.trim().startsWith('|')).slice(1)),
    ...paragraphs(beyond.split('\n').slice(1)),
  ];
  return { headers: head ? cells(head) : [], rows: body.map(cells), notes };
}

/** Paragraphs and list items (`- …`, continued on indented lines) as one line of text each. */
function paragraphs(lines: string[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const text = current.join(' ').replace(/\s+/g, ' ').trim();
    if (text) out.push(text);
    current = [];
  };
  for (const line of lines) {
    if (!line.trim()) flush();
    else if (line.startsWith('- ')) {
      flush();
      current.push(line.slice(2));
    } else current.push(line.trim());
  }
  flush();
  return out;
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
