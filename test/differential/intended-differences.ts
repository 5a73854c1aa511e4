/**
 * Where Hearth deliberately behaves differently from local workerd (Miniflare).
 * This is the ONE list: the differential test expects exactly these
 * differences instead of equality (the values each runtime gives at each
 * path, and equality everywhere else), and docs/intended-differences.md says
 * the same in prose. Change both together.
 *
 * Only deliberate choices belong here: mostly places where Hearth follows
 * production Cloudflare and local workerd does not (DO-API.md §12, §15), and
 * limits of the browser platform. A difference that is a Hearth bug goes to
 * known-bugs.ts instead.
 */
import { dataCloneError, returned, threw, UNDEFINED, type ExpectedDifference } from './compare.ts';

const TOO_MANY = 'Maximum number of key value pairs is 128. 129 pairs were provided.';
const NO_JURISDICTIONS = 'Jurisdiction restrictions are not implemented in workerd.';

export const INTENDED_DIFFERENCES: Record<string, ExpectedDifference> = {
  'kv.limits@kv': {
    reason:
      'KV-backed classes: Hearth enforces the production KV limits (2 KiB keys, 128 KiB values, 128 keys per call) with Cloudflare\'s ' +
      'errors. Local workerd stores every object in SQLite, so it enforces none of them (DO-API §4.3, §12.1, §15).',
    differs: {
      'value.key2049': {
        hearth: threw('RangeError', 'Keys cannot be larger than 2048 bytes. A key of size 2049 was provided.'),
        workerd: returned(UNDEFINED),
      },
      'value.key3000': {
        hearth: threw('RangeError', 'Keys cannot be larger than 2048 bytes. A key of size 3000 was provided.'),
        workerd: returned(UNDEFINED),
      },
      'value.getKey3000': {
        hearth: threw('RangeError', 'Keys cannot be larger than 2048 bytes. A key of size 3000 was provided.'),
        workerd: returned(1),
      },
      'value.value200k': {
        hearth: threw('RangeError', 'Values cannot be larger than 131072 bytes. A value of size 200006 was provided.'),
        workerd: returned(UNDEFINED),
      },
      'value.value1M': {
        hearth: threw('RangeError', 'Values cannot be larger than 131072 bytes. A value of size 1048589 was provided.'),
        workerd: returned(1048576),
      },
      'value.put129': { hearth: threw('RangeError', TOO_MANY), workerd: returned(UNDEFINED) },
      'value.get129': { hearth: threw('RangeError', TOO_MANY), workerd: returned(128) },
      'value.delete129': { hearth: threw('RangeError', TOO_MANY), workerd: returned(128) },
      // What the refused writes above left out: 2 oversized keys, 2 oversized values, 129 entries.
      'value.stored': { hearth: 130, workerd: 135 },
    },
  },

  'kv.limits': {
    reason:
      'SQLite-backed classes: Hearth enforces the documented production limit of 128 keys per get/put/delete call (DO-API §4.3, ' +
      '"docs: 128 for get, put and delete"); workerd\'s SQLite backend checks no count. Key and value sizes are not limited on either.',
    differs: {
      'value.put129': { hearth: threw('RangeError', TOO_MANY), workerd: returned(UNDEFINED) },
      'value.get129': { hearth: threw('RangeError', TOO_MANY), workerd: returned(128) },
      'value.delete129': { hearth: threw('RangeError', TOO_MANY), workerd: returned(128) },
      'value.stored': { hearth: 134, workerd: 135 },
    },
  },

  'transaction-sync.basics@kv': {
    reason:
      'KV-backed classes: transactionSync() throws "Durable Object is not backed by SQL." as in production (DO-API §5.5). Local ' +
      'workerd runs it, because every local object is really SQLite-backed (§12.1).',
    differs: {
      'value.basic': { hearth: threw('Error', 'Durable Object is not backed by SQL.'), workerd: returned('ran') },
    },
  },

  'ids.jurisdiction': {
    reason:
      'Jurisdictions work in Hearth (their own ids, `id.jurisdiction` set, unknown names refused); workerd throws on every use ' +
      '(DO-API §1.4, §12.2, workerd#4167).',
    differs: {
      'value.subNamespace': {
        hearth: returned({ jurisdiction: 'eu', differs: true }),
        workerd: threw('Error', NO_JURISDICTIONS),
      },
      'value.newUniqueId': { hearth: returned('eu'), workerd: threw('Error', NO_JURISDICTIONS) },
      'value.unknown': { hearth: threw('TypeError', 'Unknown jurisdiction: mars'), workerd: threw('Error', NO_JURISDICTIONS) },
    },
  },

  'ids.location-hints': {
    reason:
      'Hearth checks `locationHint` against Cloudflare\'s list (DO-API §12: wnam, enam, sam, weur, eeur, apac, apac-ne, apac-se, oc, ' +
      'afr, me) and refuses another value in routingMode\'s words, so a typo is caught before deploying; workerd ignores the option ' +
      'and accepts anything (§1.2). Production\'s text for a bad hint is not documented.',
    differs: {
      'value.unknown': { hearth: threw('RangeError', 'unknown locationHint: mars'), workerd: returned('object') },
    },
  },

  'ids.bad-input-inside-object': {
    reason:
      'A `locationHint` outside Cloudflare\'s list is refused (see ids.location-hints). ' +
      'namespace.get(id) checks that the id was minted by this namespace (the MAC that idFromString checks) and refuses a foreign ' +
      'one with idFromString\'s error. workerd checks only in idFromString, so get() there returns a stub that reaches an object of ' +
      'this class under the other namespace\'s id.',
    differs: {
      'value.locationHint': { hearth: threw('RangeError', 'unknown locationHint: nowhere'), workerd: returned('object') },
      'value.getForeign': {
        hearth: threw('TypeError', 'Durable Object ID is not valid for this namespace.'),
        workerd: returned({
          object: 'DurableObject',
          entries: { name: 'x', id: { object: 'DurableObjectId', entries: { jurisdiction: UNDEFINED, name: 'x' } } },
        }),
      },
    },
  },

  'kv.sync-api@kv': {
    reason:
      'KV-backed classes: storage.kv throws the production text (as users quote it from deployed Workers); local workerd adds ' +
      'advice for workerd configs ("If using workerd directly, set `enableSql = true` …") and spells "asyncronous" (DO-API §4.2: ' +
      '"The text differs slightly between production and local").',
    differs: {
      'value.kv.error.message': {
        hearth:
          "The storage.kv (synchronous KV) API is only available for SQLite-backed Durable Objects, but this object's namespace is not declared to use SQLite. You can use the older, asynchronous interface via methods of `storage` itself (e.g. `storage.get()`). Alternatively, to enable SQLite, change `new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file.",
        workerd:
          "The storage.kv (synchronous KV) API is only available for SQLite-backed Durable Objects, but this object's namespace is not declared to use SQLite. You can use the older, asyncronous interface via methods of `storage` itself (e.g. `storage.get()`). Alternatively, to enable SQLite, change `new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file. If using workerd directly, set `enableSql = true` in your workerd config for the class. Note that this change cannot be made after the class is already deployed to production.",
      },
    },
  },

  'values.unclonable': {
    reason:
      'A Proxy cannot be recognised from JavaScript, so Hearth\'s serializer (pure TypeScript, V8\'s format) stores it through its ' +
      'traps, as a plain object; V8\'s native serializer in workerd refuses it. Documented in src/storage/structured-serializer.ts.',
    differs: {
      'value.proxy': { hearth: returned({}), workerd: dataCloneError('#<Object> could not be cloned.') },
      'value.stored': { hearth: ['proxy'], workerd: [] },
    },
  },

  'fetch.string-body-and-request-object': {
    reason:
      'stub.fetch(request) from a page: a Request whose body is finite arrives with a content-length in workerd. Inside objects and ' +
      "the Worker, Hearth owns the global Request and knows which bodies are finite, so it matches (the @object scenario); on the app's " +
      'page it does not replace the global, cannot tell a string body from a stream once it is in a Request, and so streams it without one.',
    differs: {
      'value.fromRequest.headers[1][1]': {
        hearth: JSON.stringify([['content-type', 'application/json']]),
        workerd: JSON.stringify([['content-length', '7'], ['content-type', 'application/json']]),
      },
    },
  },

  'websocket.close-codes': {
    reason:
      'Compatibility date 2026-07-01 includes `web_socket_auto_reply_to_close` (default from 2026-04-07): the runtime answers a ' +
      "client's Close itself, so the client sees its own code cleanly and `webSocketClose(ws, 4001, 'bye', true)` runs (DO-API §8.2, " +
      "§10.3). The workerd in Miniflare 4.20260730 does not answer it here: the client sees 1006 and the handler had not run 3 s later.",
    differs: {
      'value.clientClose.code': { hearth: 4001, workerd: 1006 },
      'value.clientClose.reason': { hearth: 'bye', workerd: 'WebSocket disconnected without sending Close frame.' },
      'value.handler': { hearth: ['close', 4001, 'bye', true], workerd: null },
    },
  },
};
