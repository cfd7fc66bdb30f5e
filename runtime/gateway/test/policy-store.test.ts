import { Harness, startHarness } from './support/harness';
import { parseEnforcementConfig } from '../src/enforcement/config';
import { createEnforcement } from '../src/enforcement/create-enforcement';

const STORE = 'PSEXAMPLEabcdefg111111';

/** The Verified Permissions policy store id, from the configuration to what an auditor reads. */
describe('the policy store the decisions refer to', () => {
  let h: Harness;
  const lines: string[] = [];
  beforeAll(async () => {
    const authorization = { policyStoreId: STORE };
    const enforcement = await createEnforcement(parseEnforcementConfig({ authorization, pinning: { mode: 'report' } }), { sink: { write: async (line) => { lines.push(line); } } });
    h = await startHarness({ upstreams: ['alpha'], enforcement, config: { enforcement: { authorization } } });
  });
  afterAll(async () => { await h.close(); });

  test('readiness reports it', async () => {
    expect(await (await fetch(`${h.base}/readyz`)).json()).toEqual({ status: 'ready', policyStoreId: STORE });
  });

  test('the audit record of a Cedar decision names it next to the policy ids', async () => {
    const { client } = await h.client();
    await client.callTool({ name: 'alpha__echo', arguments: { message: 'hi' } });
    const record = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.method === 'tools/call');
    expect(record).toMatchObject({ decision: 'allow', policyIds: [expect.any(String)], policyStore: STORE });
  });

  test('fails on a malformed store id, naming the field', () => {
    expect(() => parseEnforcementConfig({ authorization: { policyStoreId: 'ps/1' } }))
      .toThrow('enforcement.authorization.policyStoreId: expected a Verified Permissions policy store id (letters, digits and "-")');
  });
});
