import * as networkfirewall from 'aws-cdk-lib/aws-networkfirewall';
import { Construct } from 'constructs';
import { DOMAIN_LIST_CAPACITY } from './domain-allow-list';

/**
 * Default actions for traffic no rule passes. A domain allow-list can only decide once the
 * TLS ClientHello or HTTP request is seen, after the TCP handshake: `aws:drop_strict` drops
 * the handshake itself, so nothing would ever reach the allow-list and all egress would
 * fail. The application-layer "drop established" action lets the handshake through, waits
 * for the server name even when the ClientHello spans several segments (post-quantum key
 * shares make it larger than one packet), then drops every flow no rule passed, in both
 * directions. Its alert twin logs each such drop.
 */
export const STATEFUL_DEFAULT_ACTIONS = ['aws:drop_established_app_layer', 'aws:alert_established_app_layer'];

/** Suricata rule ids of the non-TCP drop rules. */
const NON_TCP_SIDS = { udp: 1_000_001, icmp: 1_000_002 };

/** The names of the policy and rule groups, unique in the account and region. */
export interface EgressPolicyNames {
  readonly policy: string;
  readonly domainAllowList: string;
  readonly nonTcpDrop: string;
}

/** The firewall policy and the rule groups it references. */
export interface EgressPolicy {
  readonly policy: networkfirewall.CfnFirewallPolicy;
  readonly domainAllowList: networkfirewall.CfnRuleGroup;
  readonly nonTcpDrop: networkfirewall.CfnRuleGroup;
}

/**
 * A strict-order policy: no stateless rules (every packet goes to the stateful engine),
 * then non-TCP egress dropped by name, then the domain allow-list, then default drop.
 */
export function createEgressPolicy(scope: Construct, names: EgressPolicyNames, allowedDomains: readonly string[]): EgressPolicy {
  const strictOrder = { ruleOrder: 'STRICT_ORDER' };

  // Whatever "established" means for a connectionless protocol, a first UDP datagram (a DNS
  // query to an outside resolver, QUIC) or an ICMP echo never gets as far as a default action.
  const nonTcpDrop = new networkfirewall.CfnRuleGroup(scope, 'NonTcpDrop', {
    ruleGroupName: names.nonTcpDrop,
    type: 'STATEFUL',
    capacity: 10,
    description: 'Drops UDP and ICMP from the VPC to the internet: egress is HTTPS or HTTP to allowed domains only',
    ruleGroup: {
      statefulRuleOptions: strictOrder,
      rulesSource: { statefulRules: [dropToInternet('UDP', NON_TCP_SIDS.udp), dropToInternet('ICMP', NON_TCP_SIDS.icmp)] },
    },
  });

  const domainAllowList = new networkfirewall.CfnRuleGroup(scope, 'DomainAllowList', {
    ruleGroupName: names.domainAllowList,
    type: 'STATEFUL',
    capacity: DOMAIN_LIST_CAPACITY,
    description: 'Passes TLS (by SNI) and HTTP (by Host) to the allowed domains only',
    ruleGroup: {
      statefulRuleOptions: strictOrder,
      rulesSource: {
        rulesSourceList: {
          generatedRulesType: 'ALLOWLIST',
          targetTypes: ['TLS_SNI', 'HTTP_HOST'],
          // Sorted, so that reordering the prop changes nothing.
          targets: [...allowedDomains].sort(),
        },
      },
    },
  });

  const policy = new networkfirewall.CfnFirewallPolicy(scope, 'Policy', {
    firewallPolicyName: names.policy,
    description: 'Default-deny egress: TLS and HTTP to allowed domains pass, everything else is dropped and logged',
    firewallPolicy: {
      statelessDefaultActions: ['aws:forward_to_sfe'],
      statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
      statefulEngineOptions: {
        ...strictOrder,
        // Fail closed when a flow breaks midstream (e.g. an endpoint is replaced), and reset
        // the client so that it reconnects at once instead of waiting for a timeout.
        streamExceptionPolicy: 'REJECT',
      },
      statefulDefaultActions: STATEFUL_DEFAULT_ACTIONS,
      statefulRuleGroupReferences: [
        { resourceArn: nonTcpDrop.attrRuleGroupArn, priority: 10 },
        { resourceArn: domainAllowList.attrRuleGroupArn, priority: 20 },
      ],
    },
  });

  return { policy, domainAllowList, nonTcpDrop };
}

function dropToInternet(protocol: 'UDP' | 'ICMP', sid: number): networkfirewall.CfnRuleGroup.StatefulRuleProperty {
  return {
    action: 'DROP',
    header: {
      protocol,
      source: '$HOME_NET',
      sourcePort: 'ANY',
      direction: 'FORWARD',
      destination: '$EXTERNAL_NET',
      destinationPort: 'ANY',
    },
    ruleOptions: [
      { keyword: 'msg', settings: [`"${protocol} egress is not allowed"`] },
      { keyword: 'sid', settings: [String(sid)] },
    ],
  };
}
