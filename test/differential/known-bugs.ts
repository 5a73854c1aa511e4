/**
 * Differences from workerd that are Hearth bugs: not deliberate, and workerd
 * (the local build of what production runs) behaves as described. They are
 * pinned here, value by value, so the differential test stays green while they
 * are open and notices any change: once a bug is fixed, its scenario fails with
 * "the runtimes now agree" and its entry must be removed.
 *
 * Each bug is written once (BUG) and attached to the scenarios that show it.
 * Deliberate differences do not belong here: see intended-differences.ts.
 */
import { dataCloneError, returned, type ExpectedDifference } from './compare.ts';

type Differs = ExpectedDifference['differs'];

export const BUG = {
  rpcRequest: 'RPC: a Request cannot be passed in Hearth (DataCloneError "Request"); workerd passes it (DO-API §2.3).',
  rpcStubArgument:
    'RPC: a Durable Object stub cannot be passed as an argument in Hearth (DataCloneError "StubBase"); workerd passes it by ' +
    'reference and the receiver can fetch/call through it (DO-API §2.3).',
  requestFidelity:
    'stub.fetch(request): when a Request object with a body is passed, workerd\'s request inside the object has a content-length ' +
    'header; Hearth streams that body and has none.',
} as const;

const part = (bug: keyof typeof BUG, differs: Differs) => ({ bug, differs });

function bugs(...parts: { bug: keyof typeof BUG; differs: Differs }[]): ExpectedDifference {
  return { reason: parts.map((p) => BUG[p.bug]).join(' | '), differs: Object.assign({}, ...parts.map((p) => p.differs)) };
}

const xHeaders = (pairs: [string, string][]) => JSON.stringify(pairs);

const RPC_VALUES = [
  part('rpcRequest', {
    'value.request': {
      hearth: dataCloneError('Could not serialize object of type "Request". This type does not support serialization.'),
      workerd: returned({ Request: { method: 'DELETE', url: 'https://object.test/r', headers: [] } }),
    },
  }),
];

export const KNOWN_BUGS: Record<string, ExpectedDifference> = {
  'rpc.values': bugs(...RPC_VALUES),
  'rpc.values@object': bugs(...RPC_VALUES),
  'rpc.stub-as-argument': bugs(
    part('rpcStubArgument', {
      value: {
        hearth: dataCloneError('Could not serialize object of type "StubBase". This type does not support serialization.'),
        workerd: returned({ typeofStub: 'object', typeofFetch: 'function', status: 200, text: 'plain text body' }),
      },
    }),
  ),
  'fetch.string-body-and-request-object': bugs(
    part('requestFidelity', {
      'value.fromRequest.headers[1][1]': {
        hearth: xHeaders([['content-type', 'application/json']]),
        workerd: xHeaders([['content-length', '7'], ['content-type', 'application/json']]),
      },
    }),
  ),
};
