import { strict as assert } from 'node:assert';
import { createHttpHeaders } from '@azure/core-rest-pipeline';
import { errorFacts } from '../../src/errors/errorFacts';
import { readFactsOf } from '../../src/vault/readFacts';

const KEY_VAULT_HEADERS = {
  'x-ms-request-id': '5d1f0c8e-7a6b-4c3d-9e2f-1a0b9c8d7e6f',
  'x-ms-client-request-id': '0f8fad5b-d9cb-469f-a165-70867728950e',
  'x-ms-keyvault-rbac-assignment-id': '0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a',
  'x-ms-keyvault-network-info': 'conn_type=Ipv4;addr=203.0.113.7;act_addr_fam=InterNetwork;',
};

describe('vault/readFacts', () => {
  it('reads the ids, the grant and the client address from Key Vault’s answer', () => {
    const headers = createHttpHeaders(KEY_VAULT_HEADERS);
    assert.deepEqual(
      readFactsOf((name) => headers.get(name)),
      {
        requestId: '5d1f0c8e-7a6b-4c3d-9e2f-1a0b9c8d7e6f',
        clientRequestId: '0f8fad5b-d9cb-469f-a165-70867728950e',
        rbacAssignmentId: '0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a',
        networkInfo: 'conn_type=Ipv4;addr=203.0.113.7;act_addr_fam=InterNetwork;',
      },
    );
  });

  it('is undefined for an answer that is not Key Vault’s, and drops odd header text', () => {
    assert.equal(
      readFactsOf(() => undefined),
      undefined,
    );
    const headers = createHttpHeaders({
      'x-ms-request-id': 'r1',
      'x-ms-keyvault-network-info': 'two words',
    });
    assert.deepEqual(
      readFactsOf((name) => headers.get(name)),
      {
        requestId: 'r1',
        clientRequestId: undefined,
        rbacAssignmentId: undefined,
        networkInfo: undefined,
      },
    );
  });

  it('keeps the answer of a failed read in its error facts', () => {
    const error = Object.assign(new Error('Forbidden'), {
      name: 'RestError',
      statusCode: 403,
      response: { status: 403, headers: createHttpHeaders(KEY_VAULT_HEADERS) },
    });
    assert.equal(errorFacts(error).answer?.requestId, '5d1f0c8e-7a6b-4c3d-9e2f-1a0b9c8d7e6f');
    assert.equal(errorFacts(new Error('socket hang up')).answer, undefined);
  });
});
