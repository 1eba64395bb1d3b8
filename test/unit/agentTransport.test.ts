import { strict as assert } from 'node:assert';
import http from 'node:http';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { HttpsProxyAgent } from 'https-proxy-agent';
import {
  createAgentTransport,
  originOf,
  proxyUrlWithCredentials,
} from '../../src/net/agentTransport';

describe('agentTransport', () => {
  it('replaces the agent the SDK proxy policy set, and reuses one per origin', async () => {
    const asked: string[] = [];
    const transport = createAgentTransport(
      (url) => {
        asked.push(url);
        return { proxyUrl: 'http://127.0.0.1:9', username: 'u', password: 'p' };
      },
      2,
      undefined,
    );
    // What core-rest-pipeline's proxyPolicy sets from HTTPS_PROXY: an un-pooled tunnel agent.
    const fromEnvironment = new HttpsProxyAgent('http://127.0.0.1:9');
    const agents: unknown[] = [];
    for (const url of ['https://kv.example/secrets/a', 'https://kv.example/secrets/b']) {
      const request = createPipelineRequest({ url, timeout: 1 });
      request.agent = fromEnvironment;
      // The request itself fails (nothing listens); only the agent it was given matters here.
      await transport.sendRequest(request).catch(() => undefined);
      agents.push(request.agent);
    }
    transport.dispose();
    assert.notEqual(agents[0], fromEnvironment);
    assert.equal(agents[0], agents[1]);
    assert.deepEqual(asked, ['https://kv.example/secrets/a']);
  });

  it('sends plain-http (managed identity) requests direct, without asking for a proxy', async () => {
    const asked: string[] = [];
    const transport = createAgentTransport(
      (url) => {
        asked.push(url);
        return { proxyUrl: 'http://127.0.0.1:9', username: undefined, password: undefined };
      },
      2,
      undefined,
    );
    const request = createPipelineRequest({ url: 'http://127.0.0.1:9/metadata', timeout: 1 });
    await transport.sendRequest(request).catch(() => undefined);
    transport.dispose();
    assert.ok(request.agent instanceof http.Agent && !(request.agent instanceof HttpsProxyAgent));
    assert.deepEqual(asked, []);
  });

  it('keys connections by scheme and authority', () => {
    assert.equal(
      originOf('https://Contoso-KV.vault.azure.net/secrets/a?api-version=7.6'),
      'https://contoso-kv.vault.azure.net',
    );
    assert.equal(
      originOf('http://127.0.0.1:40123/metadata/identity/oauth2/token'),
      'http://127.0.0.1:40123',
    );
    assert.equal(
      originOf('https://login.microsoftonline.com'),
      'https://login.microsoftonline.com',
    );
  });

  it('puts the agent proxy credentials into the proxy URL, encoded', () => {
    assert.equal(
      proxyUrlWithCredentials({
        proxyUrl: 'http://proxy:8080',
        username: 'dom\\u',
        password: 'p@ss:w',
      }),
      'http://dom%5Cu:p%40ss%3Aw@proxy:8080/',
    );
  });
});
