/**
 * `env.MY_DO` — a `DurableObjectNamespace`. Ids are minted synchronously
 * (see object-id.ts); stubs are created without any round trip, and the object
 * is placed on the first call through one.
 */
import { UNSERIALIZABLE } from '../brands.ts';
import type { NormalizedBinding } from '../config-record.ts';
import { DurableObjectId, IdFactory, isJurisdiction, type Jurisdiction } from '../object-id.ts';
import type { ObjectAddress } from '../protocol.ts';
import { createStub, type Connector, type DurableObjectStub } from './stub.ts';

interface GetOptions {
  locationHint?: string;
  routingMode?: string;
}

/** Cloudflare's location hints (DO-API §12): anything else is refused, though workerd ignores the option entirely. */
export const LOCATION_HINTS = ['wnam', 'enam', 'sam', 'weur', 'eeur', 'apac', 'apac-ne', 'apac-se', 'oc', 'afr', 'me'] as const;

function checkGetOptions(options: GetOptions | undefined): void {
  if (options?.routingMode !== undefined && options.routingMode !== 'primary-only') {
    throw new RangeError(`unknown routingMode: ${options.routingMode}`);
  }
  // Same wording as routingMode's (workerd's); production's own text for a bad hint is not documented.
  if (options?.locationHint !== undefined && !(LOCATION_HINTS as readonly unknown[]).includes(options.locationHint)) {
    throw new RangeError(`unknown locationHint: ${options.locationHint}`);
  }
}

export class DurableObjectNamespace {
  readonly #binding: NormalizedBinding;
  readonly #ids: IdFactory;
  readonly #connector: Connector;
  readonly #jurisdiction: Jurisdiction | undefined;

  constructor(binding: NormalizedBinding, connector: Connector, ids?: IdFactory, jurisdiction?: Jurisdiction) {
    this.#binding = binding;
    this.#connector = connector;
    this.#ids = ids ?? new IdFactory(binding.namespaceKey);
    this.#jurisdiction = jurisdiction;
  }

  /** Storage and RPC refuse namespaces, as workerd does (see structured-serializer.ts). */
  get [UNSERIALIZABLE](): string {
    return 'DurableObjectNamespace';
  }

  newUniqueId(options?: { jurisdiction?: string }): DurableObjectId {
    const j = options?.jurisdiction ?? this.#jurisdiction;
    if (j !== undefined && !isJurisdiction(j)) throw new TypeError(`Unknown jurisdiction: ${j}`);
    // A sub-namespace mints only its own jurisdiction's ids (its get() would refuse any other).
    if (this.#jurisdiction !== undefined && j !== this.#jurisdiction) {
      throw new TypeError(
        `newUniqueId() on a "${this.#jurisdiction}" jurisdictional subnamespace cannot make an ID for jurisdiction "${j}".`,
      );
    }
    return this.#ids.unique(j);
  }

  idFromName(name: string): DurableObjectId {
    if (arguments.length === 0) throw new TypeError("idFromName(): parameter 1 is not of type 'string'.");
    return this.#ids.fromName(String(name), this.#jurisdiction);
  }

  idFromString(id: string): DurableObjectId {
    return this.#ids.fromString(id);
  }

  get(id: DurableObjectId, options?: GetOptions): DurableObjectStub {
    if (!(id instanceof DurableObjectId)) {
      throw new TypeError("Failed to execute 'get' on 'DurableObjectNamespace': parameter 1 is not of type 'DurableObjectId'.");
    }
    checkGetOptions(options);
    // An id minted by another namespace carries another namespace's MAC.
    const checked = this.#ids.fromString(id.toString());
    if (this.#jurisdiction !== undefined && checked.jurisdiction !== this.#jurisdiction) {
      throw new TypeError('get called on jurisdictional subnamespace with an ID from a different jurisdiction');
    }
    const address: ObjectAddress = {
      namespaceKey: this.#binding.namespaceKey,
      className: this.#binding.className,
      id: id.toString(),
    };
    if (id.name !== undefined) address.name = id.name;
    if (checked.jurisdiction !== undefined) address.jurisdiction = checked.jurisdiction;
    return createStub(id, this.#connector.connectionFor(address));
  }

  getByName(name: string, options?: GetOptions): DurableObjectStub {
    return this.get(this.idFromName(name), options);
  }

  jurisdiction(jurisdiction: string): DurableObjectNamespace {
    // Production refuses a sub-namespace of a sub-namespace (DO-API §1.2); its exact text is not public.
    if (this.#jurisdiction !== undefined) {
      throw new TypeError(`jurisdiction() cannot be called on a jurisdictional subnamespace (this one is "${this.#jurisdiction}").`);
    }
    if (!isJurisdiction(jurisdiction)) throw new TypeError(`Unknown jurisdiction: ${jurisdiction}`);
    return new DurableObjectNamespace(this.#binding, this.#connector, this.#ids, jurisdiction);
  }
}
