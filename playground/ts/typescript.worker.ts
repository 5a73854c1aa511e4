/**
 * The playground's TypeScript worker (thin entry): loads the declaration
 * files, then answers the page's requests one at a time (ts-protocol.ts).
 */
import { loadLibFiles } from './lib-files.ts';
import { LanguageService } from './language-service.ts';
import type { TsMessage, TsReply } from './ts-protocol.ts';

const service = loadLibFiles().then((libs) => new LanguageService(libs));

self.onmessage = async (event: MessageEvent<TsMessage>) => {
  const { id, request } = event.data;
  let reply: TsReply;
  try {
    const ls = await service;
    const value =
      request.type === 'update' ? ls.update(request.files)
      : request.type === 'diagnostics' ? ls.diagnostics(request.file)
      : request.type === 'completions' ? ls.completions(request.file, request.pos)
      : request.type === 'hover' ? ls.hover(request.file, request.pos)
      : ls.transpile(request.files);
    reply = { id, ok: true, value };
  } catch (error) {
    reply = { id, ok: false, error: { name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) } };
  }
  self.postMessage(reply);
};
