/**
 * The `env` object: one `DurableObjectNamespace` per binding, plus `vars`.
 */
import type { NormalizedConfig } from '../config-record.ts';
import { DurableObjectNamespace } from './namespace.ts';
import type { Connector } from './stub.ts';
import { unsupportedBindingValue } from '../unsupported-bindings.ts';

export function createEnv(config: NormalizedConfig, connector: Connector): Record<string, unknown> {
  const env: Record<string, unknown> = { ...config.vars };
  for (const binding of config.bindings) env[binding.name] = new DurableObjectNamespace(binding, connector);
  for (const binding of config.unsupportedBindings ?? []) env[binding.name] = unsupportedBindingValue(binding);
  return env;
}

/**
 * For app code on the page: reading a binding the config does not declare is
 * a mistake worth a clear error, not a silent `undefined`. (Inside objects and
 * the Worker, `env` stays a plain object, as on Cloudflare.)
 */
export function strictEnv(env: Record<string, unknown>, source: string): Record<string, unknown> {
  const names = Object.keys(env);
  return new Proxy(env, {
    get(target, property, receiver) {
      if (typeof property === 'symbol' || property in target || property === 'then' || property === 'toJSON') {
        return Reflect.get(target, property, receiver);
      }
      throw new Error(
        `env.${property} is not a binding: ${source} declares ${names.length ? names.join(', ') : 'no bindings'}.`,
      );
    },
  });
}
