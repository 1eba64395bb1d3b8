import { strict as assert } from 'node:assert';
import { proxyVariablesIn } from '../../src/net/proxyEnvironment';

describe('proxyVariablesIn', () => {
  it('names the proxy variables set in either case, never their values', () => {
    assert.deepEqual(
      proxyVariablesIn({
        https_proxy: 'http://user:pass@corp:3128',
        HTTP_PROXY: 'http://corp:3128',
        NO_PROXY: '',
        PATH: '/usr/bin',
      }),
      ['HTTPS_PROXY', 'HTTP_PROXY'],
    );
    assert.deepEqual(proxyVariablesIn({ ALL_PROXY: 'socks://x', no_proxy: '.internal' }), [
      'ALL_PROXY',
      'NO_PROXY',
    ]);
    assert.deepEqual(proxyVariablesIn({}), []);
  });
});
