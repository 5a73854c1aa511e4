/**
 * Bindings of kinds Hearth does not provide (it runs Durable Objects, not
 * KV, R2, D1, Queues…). A Worker that declares one still loads, and its
 * `env` has the name: any use of it throws an error naming the binding and
 * its kind, instead of a silent `undefined` far from the cause.
 *
 * `BINDING_KINDS`: wrangler's config key → (the human name of the kind, and
 * the field that names each binding). Pure data plus one small reader; safe
 * in every context.
 */
import type { UnsupportedBinding } from './config-record.ts';

type Shape = { kind: string; list: boolean; field: 'binding' | 'name' };

export const BINDING_KINDS: Record<string, Shape> = {
  kv_namespaces: { kind: 'KV namespace', list: true, field: 'binding' },
  r2_buckets: { kind: 'R2 bucket', list: true, field: 'binding' },
  d1_databases: { kind: 'D1 database', list: true, field: 'binding' },
  services: { kind: 'service binding', list: true, field: 'binding' },
  queues: { kind: 'Queue producer', list: true, field: 'binding' },
  analytics_engine_datasets: { kind: 'Analytics Engine dataset', list: true, field: 'binding' },
  vectorize: { kind: 'Vectorize index', list: true, field: 'binding' },
  hyperdrive: { kind: 'Hyperdrive', list: true, field: 'binding' },
  workflows: { kind: 'Workflow', list: true, field: 'binding' },
  dispatch_namespaces: { kind: 'dispatch namespace', list: true, field: 'binding' },
  mtls_certificates: { kind: 'mTLS certificate', list: true, field: 'binding' },
  secrets_store_secrets: { kind: 'Secrets Store secret', list: true, field: 'binding' },
  pipelines: { kind: 'Pipeline', list: true, field: 'binding' },
  send_email: { kind: 'Email sending binding', list: true, field: 'name' },
  ai: { kind: 'Workers AI binding', list: false, field: 'binding' },
  browser: { kind: 'Browser Rendering binding', list: false, field: 'binding' },
  images: { kind: 'Images binding', list: false, field: 'binding' },
  version_metadata: { kind: 'version metadata binding', list: false, field: 'binding' },
  assets: { kind: 'static assets binding', list: false, field: 'binding' },
};

/** The bindings of unsupported kinds a config declares (malformed entries are skipped: wrangler reports those). */
export function unsupportedBindings(config: Record<string, unknown>): UnsupportedBinding[] {
  const out: UnsupportedBinding[] = [];
  for (const [key, shape] of Object.entries(BINDING_KINDS)) {
    let value = config[key];
    if (key === 'queues') value = (value as { producers?: unknown } | undefined)?.producers;
    const entries = shape.list ? (Array.isArray(value) ? value : []) : value ? [value] : [];
    for (const entry of entries) {
      const name = (entry as Record<string, unknown> | null)?.[shape.field];
      if (typeof name === 'string' && name) out.push({ name, kind: shape.kind, key });
    }
  }
  return out;
}

/**
 * What `env.<name>` is for such a binding: an object whose every use throws.
 * (Reading `env.<name>` itself works, so code that only passes env around, or
 * checks `if (env.CACHE)`, is unaffected.)
 */
export function unsupportedBindingValue(binding: UnsupportedBinding): object {
  const fail = (what: string): never => {
    throw new Error(
      `env.${binding.name} is a ${binding.kind} (\`${binding.key}\` in the Wrangler config), which Hearth does not provide: ` +
        `it runs Durable Objects only. ${what} works on Cloudflare (wrangler dev / deploy), not in the browser.`,
    );
  };
  const target = function unsupportedBinding() {};
  return new Proxy(target, {
    get(_t, prop) {
      // Promise resolution and inspection probe these; they must not throw.
      if (typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON') return undefined;
      return fail(`env.${binding.name}.${prop}`);
    },
    apply: () => fail(`Calling env.${binding.name}`),
    construct: () => fail(`env.${binding.name}`),
  });
}
