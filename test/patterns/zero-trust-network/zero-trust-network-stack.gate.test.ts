import { VERIFIED_ACCESS, zeroTrustStack } from './fixture';
import { stableTemplate } from './stable-template';
import { listAcknowledgements } from '../../../lib/gate';
import { expectControlTowerClean } from '../../support/cfn-guard';
import { expectGateClean } from '../../support/gate';

const VARIANTS = {
  'defaults': {},
  'Verified Access': { endpoint: { domainName: 'mcp.example.com', internetFacing: false }, verifiedAccess: VERIFIED_ACCESS },
  'server egress through the firewall': { serverEgress: 'firewall' as const, allowedDomains: ['api.github.com'] },
};

describe('ZeroTrustNetworkStack gate and Control Tower', () => {
  test.each(Object.entries(VARIANTS))('is gate clean: %s', (_name, props) => {
    expectGateClean(zeroTrustStack(props).stack);
  });

  test.each(Object.entries(VARIANTS))('passes every Control Tower control: %s', (_name, props) => {
    expectControlTowerClean(zeroTrustStack(props).stack);
  });

  test('accepts exactly the findings listed in the snapshot, none of them on the stack as a whole', () => {
    const acknowledged = listAcknowledgements(zeroTrustStack().stack);
    expect(acknowledged.filter((a) => a.path === 'ZeroTrust')).toEqual([]);
    expect(acknowledged.map((a) => `${a.path} ${a.id}`).sort()).toMatchSnapshot();
  });
});

describe('ZeroTrustNetworkStack snapshot', () => {
  test('matches the template with asset hashes stripped', () => {
    expect(stableTemplate(zeroTrustStack().stack)).toMatchSnapshot();
  });
});
