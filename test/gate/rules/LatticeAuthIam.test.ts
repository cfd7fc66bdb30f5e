import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { mcpFindings, testStack } from './findings';
import { LatticeAuthIam } from '../../../lib/gate';

describe('LatticeAuthIam', () => {
  test('a service network and a service with IAM auth are compliant', () => {
    const stack = testStack();
    new vpclattice.CfnServiceNetwork(stack, 'Network', { authType: 'AWS_IAM' });
    new vpclattice.CfnService(stack, 'Service', { authType: 'AWS_IAM' });
    expect(mcpFindings(stack, LatticeAuthIam)).toEqual([]);
  });

  test('reports AuthType NONE and an unset AuthType (which defaults to NONE)', () => {
    const stack = testStack();
    new vpclattice.CfnServiceNetwork(stack, 'Network', { authType: 'NONE' });
    new vpclattice.CfnService(stack, 'Service');
    expect(mcpFindings(stack, LatticeAuthIam)).toEqual([
      'Mcp-LatticeAuthIam at Test/Network',
      'Mcp-LatticeAuthIam at Test/Service',
    ]);
  });
});
