import { clientForEndpoint, isLoopback, regionOf, sigV4Authorizer } from '../../cli/connect';

const DEPLOYED = 'https://abc123.execute-api.eu-central-1.amazonaws.com';

describe('edgectl --endpoint authentication', () => {
  afterEach(() => jest.restoreAllMocks());

  it('tells loopback endpoints from deployed ones', () => {
    for (const u of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9']) expect(isLoopback(u)).toBe(true);
    for (const u of [DEPLOYED, 'http://127.0.0.1.example.com', 'not a url']) expect(isLoopback(u)).toBe(false);
  });

  it('reads the region from an execute-api host, else from AWS_REGION', () => {
    expect(regionOf(DEPLOYED, {})).toBe('eu-central-1');
    expect(regionOf('https://api.example.com', { AWS_REGION: 'us-west-2' })).toBe('us-west-2');
    expect(() => regionOf('https://api.example.com', {})).toThrow(/AWS_REGION/);
  });

  it('signs exactly as the AWS Signature Version 4 test suite (get-vanilla)', async () => {
    const sign = sigV4Authorizer({
      region: 'us-east-1',
      service: 'service',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      now: () => new Date('2015-08-30T12:36:00Z'),
    });
    const headers = await sign({ method: 'GET', url: 'https://example.amazonaws.com/', headers: {} });
    expect(headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers['host']).toBeUndefined();
  });

  it('sends SigV4 for execute-api (with the session token) and the bearer token on loopback or when EDGE_TOKEN is set', async () => {
    const seen: Array<Record<string, string>> = [];
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (_url, init) => {
      seen.push(init?.headers as Record<string, string>);
      return new Response('{"items":[]}', { status: 200 });
    });
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session' });
    try {
      await clientForEndpoint(DEPLOYED, undefined, process.env).listProvisions({ state: 'RUNNING' });
      await clientForEndpoint('http://127.0.0.1:9/', undefined, process.env).listProvisions();
      await clientForEndpoint(DEPLOYED, 'tok', process.env).listProvisions();
    } finally {
      process.env = saved;
    }
    expect(seen[0]?.['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-central-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(seen[0]?.['x-amz-security-token']).toBe('session');
    expect(seen[1]?.['authorization']).toBe('Bearer ');
    expect(seen[2]?.['authorization']).toBe('Bearer tok');
  });
});
