/** The playground's share link: the whole project and the lesson in the hash, compressed; a damaged hash opens nothing. */
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare } from '../../playground/share.ts';
import { DEFAULT_PROJECT } from '../../playground/default-project.ts';
import { projectHash } from '../../playground/project.ts';

describe('share links', () => {
  it('carry every file, byte for byte, and the lesson', () => {
    const project = { files: [...DEFAULT_PROJECT.files, { name: 'ünïcode.ts', text: '// ✓ emoji 🚀 and "quotes" & #hash ?q=1\n' }] };
    const hash = encodeShare({ project, lesson: 'input-gate' });
    expect(decodeShare(hash)).toEqual({ project, lesson: 'input-gate' });
    // Compressed: shorter than the files themselves.
    expect(hash.length).toBeLessThan(JSON.stringify(project).length);
  });

  it('ignore a damaged or foreign hash instead of failing', () => {
    expect(decodeShare('#project=not-lz-at-all')).toEqual({});
    expect(decodeShare('#tab=objects')).toEqual({});
    expect(decodeShare('')).toEqual({});
  });

  it('give the same code the same version hash, and other code another', () => {
    const same = { files: DEFAULT_PROJECT.files.map((f) => ({ ...f })) };
    expect(projectHash(same)).toBe(projectHash(DEFAULT_PROJECT));
    same.files[0]!.text += ' ';
    expect(projectHash(same)).not.toBe(projectHash(DEFAULT_PROJECT));
  });
});
