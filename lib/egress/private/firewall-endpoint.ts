import { Fn } from 'aws-cdk-lib';
import * as networkfirewall from 'aws-cdk-lib/aws-networkfirewall';

/**
 * The id of the firewall's endpoint in `availabilityZone`, resolved at deploy time.
 *
 * `EndpointIds` lists `"<zone>:<vpce-id>"` entries in no particular order, so selecting an
 * entry by position can send one zone's traffic to another zone's endpoint. Instead the list
 * is joined with commas and split on `"<zone>:"`: the second part starts with that zone's
 * endpoint id, and splitting it on the next comma drops the entries after it. Zone names
 * within a region never contain one another followed by a colon, so the split is exact.
 */
export function firewallEndpointIn(firewall: networkfirewall.CfnFirewall, availabilityZone: string): string {
  const entries = Fn.join(',', firewall.attrEndpointIds);
  return Fn.select(0, Fn.split(',', Fn.select(1, Fn.split(`${availabilityZone}:`, entries))));
}
