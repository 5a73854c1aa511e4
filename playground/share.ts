/**
 * Sharing: the whole project (every file, the config included) and the open
 * lesson go into the URL's hash, compressed with lz-string, so a link is the
 * project — no server keeps anything. Opening such a link restores it.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { isProject, type Project } from './project.ts';

export interface Shared {
  project?: Project;
  lesson?: string;
}

export function encodeShare(shared: Shared): string {
  const params = new URLSearchParams();
  if (shared.lesson) params.set('lesson', shared.lesson);
  if (shared.project) params.set('project', compressToEncodedURIComponent(JSON.stringify(shared.project)));
  return `#${params}`;
}

/** What a hash holds; a damaged or foreign hash yields nothing rather than an error. */
export function decodeShare(hash: string): Shared {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const out: Shared = {};
  const lesson = params.get('lesson');
  if (lesson) out.lesson = lesson;
  const packed = params.get('project');
  if (packed) {
    try {
      const project = JSON.parse(decompressFromEncodedURIComponent(packed) ?? '');
      if (isProject(project)) out.project = project;
    } catch {
      // Not a project: open the default instead.
    }
  }
  return out;
}
