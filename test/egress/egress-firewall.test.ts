import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { buildEgress, egressFixture, ZONES } from './fixture';
import { declaredPrinciples } from '../../lib/core/controls';
import { EgressFirewall } from '../../lib/egress';
import { cfnGuardStacks, formatGuardFailures } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';
import { resourcesOf } from '../support/template-reading';


/** The logical id of `construct`, or of its default child. */
function idOf(construct: IConstruct): string {
  const element = construct instanceof CfnElement ? construct : construct.node.defaultChild as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

/**
 * Evaluates the intrinsic functions a route uses to find its firewall endpoint, with
 * `EndpointIds` resolving to `endpointIds`, as CloudFormation would at deploy time.
 */
type Intrinsic = string | number | string[] | { [fn: string]: Intrinsic[] };

function evaluate(value: Intrinsic, endpointIds: readonly string[]): Intrinsic {
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const [fn, args] = Object.entries(value)[0];
  switch (fn) {
    case 'Fn::GetAtt':
      expect(args[1]).toEqual('EndpointIds');
      return [...endpointIds];
    case 'Fn::Join':
      return (evaluate(args[1], endpointIds) as string[]).join(args[0] as string);
    case 'Fn::Split':
      return (evaluate(args[1], endpointIds) as string).split(args[0] as string);
    case 'Fn::Select': {
      const list = evaluate(args[1], endpointIds) as string[];
      const index = args[0] as number;
      if (index >= list.length) throw new Error(`Fn::Select index ${index} out of range of ${JSON.stringify(list)}`);
      return list[index];
    }
    default:
      throw new Error(`unexpected intrinsic ${fn}`);
  }
}

/** Zone of the subnet each route table belongs to, keyed by the route table's logical id. */
function zoneByRouteTable(template: Template): Map<string, string> {
  const subnets = resourcesOf(template, 'AWS::EC2::Subnet');
  return new Map(Object.values(resourcesOf(template, 'AWS::EC2::SubnetRouteTableAssociation')).map(({ Properties: p }) =>
    [p.RouteTableId.Ref, subnets[p.SubnetId.Ref].Properties.AvailabilityZone]));
}

function firewallRoutes(template: Template) {
  return Object.values(resourcesOf(template, 'AWS::EC2::Route')).filter(({ Properties: p }) => p.VpcEndpointId !== undefined);
}

describe('EgressFirewall policy', () => {
  test('allows TLS by SNI and HTTP by Host to the allowed domains only, in strict order', () => {
    // GIVEN / WHEN
    const { template } = buildEgress({ allowedDomains: ['api.example.com', '.github.com', 'pypi.org'] });
    // THEN
    template().hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      Type: 'STATEFUL',
      Capacity: 1000,
      RuleGroup: {
        StatefulRuleOptions: { RuleOrder: 'STRICT_ORDER' },
        RulesSource: {
          RulesSourceList: {
            GeneratedRulesType: 'ALLOWLIST',
            TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
            Targets: ['.github.com', 'api.example.com', 'pypi.org'],
          },
        },
      },
    });
  });

  test('drops UDP and ICMP from the VPC to the internet by name', () => {
    const { template } = buildEgress();
    const header = (protocol: string) => ({
      Protocol: protocol, Source: '$HOME_NET', SourcePort: 'ANY', Direction: 'FORWARD', Destination: '$EXTERNAL_NET', DestinationPort: 'ANY',
    });
    template().hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      Type: 'STATEFUL',
      RuleGroup: {
        StatefulRuleOptions: { RuleOrder: 'STRICT_ORDER' },
        RulesSource: {
          StatefulRules: [
            { Action: 'DROP', Header: header('UDP'), RuleOptions: Match.arrayWith([{ Keyword: 'sid', Settings: ['1000001'] }]) },
            { Action: 'DROP', Header: header('ICMP'), RuleOptions: Match.arrayWith([{ Keyword: 'sid', Settings: ['1000002'] }]) },
          ],
        },
      },
    });
  });

  test('forwards every packet to the stateful engine, which drops what no rule passes, fails closed and logs each drop', () => {
    const { template, egress } = buildEgress();
    const t = template();
    t.resourceCountIs('AWS::NetworkFirewall::FirewallPolicy', 1);
    t.hasResourceProperties('AWS::NetworkFirewall::FirewallPolicy', {
      FirewallPolicy: {
        StatelessDefaultActions: ['aws:forward_to_sfe'],
        StatelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        StatelessRuleGroupReferences: Match.absent(),
        StatefulEngineOptions: { RuleOrder: 'STRICT_ORDER', StreamExceptionPolicy: 'REJECT' },
        StatefulDefaultActions: ['aws:drop_established_app_layer', 'aws:alert_established_app_layer'],
        StatefulRuleGroupReferences: [
          { Priority: 10, ResourceArn: { 'Fn::GetAtt': [idOf(egress.node.findChild('NonTcpDrop')), 'RuleGroupArn'] } },
          { Priority: 20, ResourceArn: { 'Fn::GetAtt': [idOf(egress.domainAllowList), 'RuleGroupArn'] } },
        ],
      },
    });
  });
});

describe('EgressFirewall firewall', () => {
  test('puts one endpoint in each firewall subnet, with delete, subnet-change and policy-change protection', () => {
    // GIVEN
    const { template, vpc, egress } = buildEgress();
    const t = template();
    // THEN
    const firewallSubnetIds = vpc.selectSubnets({ subnetGroupName: 'Firewall' }).subnets.map((s) => ({ Ref: idOf(s) }));
    t.resourceCountIs('AWS::NetworkFirewall::Firewall', 1);
    t.hasResourceProperties('AWS::NetworkFirewall::Firewall', {
      VpcId: { Ref: idOf(vpc) },
      SubnetMappings: firewallSubnetIds.map((SubnetId) => ({ SubnetId })),
      FirewallPolicyArn: { 'Fn::GetAtt': [idOf(egress.policy), 'FirewallPolicyArn'] },
      DeleteProtection: true,
      SubnetChangeProtection: true,
      FirewallPolicyChangeProtection: true,
    });
  });

  test('can be deletable, visibly in the template, keeping the other protections', () => {
    buildEgress({ deletionProtection: false }).template().hasResourceProperties('AWS::NetworkFirewall::Firewall', {
      DeleteProtection: false,
      SubnetChangeProtection: true,
      FirewallPolicyChangeProtection: true,
    });
  });

  test('names the firewall, policy and rule groups uniquely per construct, within Network Firewall limits', () => {
    // GIVEN two firewalls in one stack
    const fixture = egressFixture();
    new EgressFirewall(fixture.stack, 'First', fixture.base);
    new EgressFirewall(fixture.stack, 'Second', fixture.base);
    const t = Template.fromStack(fixture.stack);
    // THEN
    const names = [
      ...Object.values(resourcesOf(t, 'AWS::NetworkFirewall::Firewall')).map((r) => r.Properties.FirewallName),
      ...Object.values(resourcesOf(t, 'AWS::NetworkFirewall::FirewallPolicy')).map((r) => r.Properties.FirewallPolicyName),
      ...Object.values(resourcesOf(t, 'AWS::NetworkFirewall::RuleGroup')).map((r) => r.Properties.RuleGroupName),
    ];
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(8);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9-]{1,128}$/);
  });

  test('logs alerts and flows to two log groups encrypted with the key and kept a year', () => {
    // GIVEN
    const { template, egress, keys } = buildEgress();
    const t = template();
    const alert = idOf(egress.alertLogGroup);
    const flow = idOf(egress.flowLogGroup);
    expect(alert).not.toEqual(flow);
    // THEN
    t.hasResourceProperties('AWS::NetworkFirewall::LoggingConfiguration', {
      FirewallArn: { 'Fn::GetAtt': [idOf(egress.firewall), 'FirewallArn'] },
      LoggingConfiguration: {
        LogDestinationConfigs: [
          { LogType: 'ALERT', LogDestinationType: 'CloudWatchLogs', LogDestination: { logGroup: { Ref: alert } } },
          { LogType: 'FLOW', LogDestinationType: 'CloudWatchLogs', LogDestination: { logGroup: { Ref: flow } } },
        ],
      },
    });
    for (const logGroup of [alert, flow]) {
      expect(t.toJSON().Resources[logGroup]).toMatchObject({
        Properties: { KmsKeyId: { 'Fn::GetAtt': [idOf(keys.logs), 'Arn'] }, RetentionInDays: 365 },
        DeletionPolicy: 'Retain',
      });
    }
  });

  test('keeps the logs as long as asked', () => {
    const t = buildEgress({ logRetention: logs.RetentionDays.FIVE_YEARS }).template();
    expect(Object.values(resourcesOf(t, 'AWS::Logs::LogGroup')).map((r) => r.Properties.RetentionInDays)).toEqual([1827, 1827]);
  });

  test('declares the principles it implements', () => {
    expect(declaredPrinciples(buildEgress().egress)).toEqual([
      'isolation/network', 'defense-in-depth/network', 'zero-trust/least-privilege',
      'secure-by-default/fail-secure', 'secure-by-default/logging', 'observability',
    ]);
  });
});

describe('EgressFirewall routes', () => {
  test('adds no route until asked', () => {
    expect(firewallRoutes(buildEgress().template())).toEqual([]);
  });

  test('sends each workload subnet\'s internet traffic to its zone\'s endpoint and the replies back through it', () => {
    // GIVEN a firewall in three zones
    const { egress, template, vpc } = buildEgress({}, egressFixture(ZONES));
    // WHEN
    egress.routeEgressFrom({ subnetGroupName: 'Workload' });
    const t = template();
    // THEN one default route per workload subnet and one return route per (NAT subnet, workload subnet)
    const zones = zoneByRouteTable(t);
    const routes = firewallRoutes(t).map(({ Properties: p }) => ({
      table: p.RouteTableId.Ref as string, destination: p.DestinationCidrBlock as string, endpoint: p.VpcEndpointId,
    }));
    const workload = vpc.selectSubnets({ subnetGroupName: 'Workload' }).subnets;
    const nat = vpc.selectSubnets({ subnetGroupName: 'Nat' }).subnets;
    const tableOf = (subnet: IConstruct) => idOf(subnet.node.findChild('RouteTable'));
    const byTableAndDestination = (a: { table: string; destination: string }, b: { table: string; destination: string }) =>
      (a.table + a.destination).localeCompare(b.table + b.destination);
    expect(routes.map(({ table, destination }) => ({ table, destination })).sort(byTableAndDestination)).toEqual([
      ...workload.map((s) => ({ table: tableOf(s), destination: '0.0.0.0/0' })),
      ...nat.flatMap((n) => workload.map((s) => ({ table: tableOf(n), destination: s.ipv4CidrBlock }))),
    ].sort(byTableAndDestination));

    // AND each route resolves to the endpoint of the workload subnet's zone, whatever order
    // the firewall lists its endpoints in
    const zoneOfCidr = new Map(workload.map((s) => [s.ipv4CidrBlock, s.availabilityZone]));
    const orders = [
      ['us-east-1a:vpce-0aaa', 'us-east-1b:vpce-0bbb', 'us-east-1c:vpce-0ccc'],
      ['us-east-1c:vpce-0ccc', 'us-east-1a:vpce-0aaa', 'us-east-1b:vpce-0bbb'],
      ['us-east-1b:vpce-0bbb', 'us-east-1c:vpce-0ccc', 'us-east-1a:vpce-0aaa'],
    ];
    for (const endpointIds of orders) {
      for (const route of routes) {
        const zone = route.destination === '0.0.0.0/0' ? zones.get(route.table)! : zoneOfCidr.get(route.destination)!;
        expect(evaluate(route.endpoint, endpointIds)).toEqual(`vpce-0${zone.slice(-1).repeat(3)}`);
      }
    }
  });

  test('gives the endpoint of a zone to routes it does not add, and refuses a zone without one', () => {
    const { egress } = buildEgress();
    expect(evaluate(Stack.of(egress).resolve(egress.endpointId('us-east-1b')), ['us-east-1b:vpce-0b', 'us-east-1a:vpce-0a'])).toEqual('vpce-0b');
    expect(() => egress.endpointId('us-east-1c')).toThrow("EgressFirewall Test/Egress has no endpoint in 'us-east-1c'; its zones are us-east-1a, us-east-1b");
  });
});

describe('EgressFirewall gate', () => {
  test('is gate clean with defaults', () => {
    expectGateClean(buildEgress().egress);
  });

  test('is gate clean with egress routed and deletion protection off', () => {
    const { egress } = buildEgress({ deletionProtection: false });
    egress.routeEgressFrom({ subnetGroupName: 'Workload' });
    egress.routeEgressFrom({ subnetGroupName: 'Data' });
    expectGateClean(egress);
  });

  test('passes the Control Tower Network Firewall and log group controls', () => {
    const { egress, stack } = buildEgress();
    egress.routeEgressFrom({ subnetGroupName: 'Workload' });
    const failures = cfnGuardStacks([stack]).filter((f) => f.constructPath?.startsWith('Test/Egress/'));
    expect(formatGuardFailures(failures)).toEqual('');
  });

  test('would fail the Control Tower check of a policy that passes unmatched packets', () => {
    // GIVEN the policy overridden to let packets bypass the stateful engine
    const { egress, stack } = buildEgress();
    egress.policy.addPropertyOverride('FirewallPolicy.StatelessDefaultActions', ['aws:pass']);
    // THEN the same check as above reports it
    const failures = cfnGuardStacks([stack]).filter((f) => f.constructPath?.startsWith('Test/Egress/'));
    expect(failures.map((f) => f.control)).toContain('CT.NETWORK-FIREWALL.PR.2');
  });
});
