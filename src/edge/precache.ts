/**
 * Offline support: the edge keeps every built file of the app in Cache
 * Storage, so after one online visit the app starts with the network off.
 *
 * Built file names carry content hashes, so they are served cache-first;
 * navigations go to the network first (to pick up a new deployment) and fall
 * back to the cached `index.html`.
 */
const PREFIX = 'hearth-precache-';

export class Precache {
  readonly #name: string;
  readonly #files: Set<string>;
  readonly #index: string;

  constructor(version: string, files: readonly string[], scope: string) {
    this.#name = `${PREFIX}${version}`;
    this.#files = new Set(files);
    this.#index = `${scope}index.html`;
  }

  get enabled(): boolean {
    return this.#files.size > 0;
  }

  async install(): Promise<void> {
    if (!this.enabled) return;
    const cache = await caches.open(this.#name);
    await cache.addAll([...this.#files]);
  }

  /** Drop other deployments' caches. */
  async activate(): Promise<void> {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== this.#name) await caches.delete(name);
    }
  }

  /** A response for `request` if it is one of ours, or undefined to leave it to the network. */
  respond(request: Request, url: URL): Promise<Response> | undefined {
    if (!this.enabled || request.method !== 'GET') return undefined;
    if (request.mode === 'navigate') {
      return fetch(request).catch(async (error: unknown) => {
        // A page of a multi-page build (`/playground/`) is its own HTML; anything else gets the app's index.
        const page = url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname;
        const own = this.#files.has(page) ? await caches.match(page, { cacheName: this.#name }) : undefined;
        const cached = own ?? (await caches.match(this.#index, { cacheName: this.#name }));
        if (cached) return cached;
        throw error;
      });
    }
    if (!this.#files.has(url.pathname)) return undefined;
    return caches.match(url.pathname, { cacheName: this.#name }).then((cached) => cached ?? fetch(request));
  }
}
