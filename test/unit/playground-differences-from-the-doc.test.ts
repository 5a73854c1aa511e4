/** The playground's differences panel is made from docs/intended-differences.md: every row of its table, and its notes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inline, parseDifferences } from '../../playground/differences.ts';

const DOC = readFileSync(path.resolve(import.meta.dirname, '../../docs/intended-differences.md'), 'utf8');

describe('the differences panel', () => {
  it('has one row per row of the table in docs/intended-differences.md, with all four columns', () => {
    const parsed = parseDifferences(DOC);
    const tableRows = DOC.split('## The differences')[1]!.split('\n## ')[0]!.split('\n').filter((l) => l.startsWith('| `'));
    expect(parsed.headers).toEqual(['Scenario', 'Hearth', 'workerd (Miniflare)', 'Why']);
    expect(parsed.rows).toHaveLength(tableRows.length);
    expect(parsed.rows.length).toBeGreaterThan(3);
    for (const row of parsed.rows) expect(row).toHaveLength(4);
    expect(parsed.notes.join(' ')).toContain('512');
    // The section of differences the test cannot compare is shown too, one note per item.
    expect(parsed.notes.some((n) => n.startsWith('**Point-in-time recovery is real.**'))).toBe(true);
  });

  it('renders `code` and **bold** as pieces, without HTML', () => {
    expect(inline('a `b<i>` **c** d')).toEqual([{ text: 'a ' }, { code: true, text: 'b<i>' }, { text: ' ' }, { bold: true, text: 'c' }, { text: ' d' }]);
  });
});
