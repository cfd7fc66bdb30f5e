import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as networkfirewall from 'aws-cdk-lib/aws-networkfirewall';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import * as shield from 'aws-cdk-lib/aws-shield';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { sampleStack } from './fixtures/sample-stack';
import { renderCostsDoc } from '../../scripts/evidence/cost-doc';
import { costsOf, renderCostReport } from '../../scripts/evidence/cost-model';
import { CostEstimate } from '../../scripts/evidence/cost-rules';
import { evidenceStacks } from '../../scripts/evidence/kit-app';
import { loadPriceTable, PRICE_KEYS, PRICE_TABLE_FILE } from '../../scripts/evidence/price-table';
import { resourcesOf } from '../../scripts/evidence/template';

const REPO_ROOT = path.join(__dirname, '..', '..');
const prices = loadPriceTable(path.join(REPO_ROOT, PRICE_TABLE_FILE));
const HOURS = prices.hoursPerMonth;

function quantities(estimate: CostEstimate): Record<string, number> {
  return Object.fromEntries(estimate.lines.map((line) => [line.item, line.quantity]));
}

/** L1 resources of every kind the model prices and the kit's blocks do not all create. */
function pricedResourcesStack(): Stack {
  // Ids in the formats CloudFormation validation expects, so that synth prints no warning.
  const [a, b, c] = ['subnet-0a0a0a0a0a0a0a0a0', 'subnet-0b0b0b0b0b0b0b0b0', 'subnet-0c0c0c0c0c0c0c0c0'];
  const vpcId = 'vpc-0123456789abcdef0';
  const stack = new Stack(new App(), 'Priced', { env: { account: '111111111111', region: 'us-east-1' } });
  new networkfirewall.CfnFirewall(stack, 'Firewall', {
    firewallName: 'fw',
    firewallPolicyArn: 'arn:aws:network-firewall:us-east-1:111111111111:firewall-policy/p',
    vpcId,
    subnetMappings: [{ subnetId: a }, { subnetId: b }, { subnetId: c }],
  });
  new ec2.CfnVerifiedAccessEndpoint(stack, 'Access', {
    applicationDomain: 'mcp.example.com',
    attachmentType: 'vpc',
    domainCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/x',
    endpointDomainPrefix: 'mcp',
    endpointType: 'load-balancer',
    verifiedAccessGroupId: 'vagr-1',
  });
  const ca = { keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', subject: { commonName: 'mesh' }, type: 'ROOT' };
  new acmpca.CfnCertificateAuthority(stack, 'ShortLivedCa', { ...ca, usageMode: 'SHORT_LIVED_CERTIFICATE' });
  new acmpca.CfnCertificateAuthority(stack, 'GeneralCa', ca);
  new vpclattice.CfnService(stack, 'ServiceA', { authType: 'AWS_IAM' });
  new vpclattice.CfnService(stack, 'ServiceB', { authType: 'AWS_IAM' });
  for (const id of ['A', 'B', 'C']) new secretsmanager.CfnSecret(stack, `Secret${id}`);
  new cognito.CfnUserPool(stack, 'PlusPool', { userPoolTier: 'PLUS' });
  new cognito.CfnUserPool(stack, 'EssentialsPool');
  new shield.CfnProtection(stack, 'ProtectA', { name: 'a', resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/a/1' });
  new shield.CfnProtection(stack, 'ProtectB', { name: 'b', resourceArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/b/2' });
  new guardduty.CfnDetector(stack, 'Detector', { enable: true });
  new securityhub.CfnStandard(stack, 'Fsbp', { standardsArn: 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0' });
  new securityhub.CfnStandard(stack, 'Cis', { standardsArn: 'arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0' });
  const task = new ecs.CfnTaskDefinition(stack, 'ArmTask', {
    cpu: '1024', memory: '2048', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', runtimePlatform: { cpuArchitecture: 'ARM64' },
  });
  new ecs.CfnService(stack, 'ArmService', {
    taskDefinition: task.ref, desiredCount: 3, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: [a, b] } },
  });
  new elbv2.CfnLoadBalancer(stack, 'Nlb', { type: 'network', scheme: 'internal', subnets: [a, b] });
  new ec2.CfnVPCEndpoint(stack, 'Interface', { vpcId, serviceName: 'com.amazonaws.us-east-1.sts', vpcEndpointType: 'Interface', subnetIds: [a, b, c] });
  new ec2.CfnVPCEndpoint(stack, 'Gateway', { vpcId, serviceName: 'com.amazonaws.us-east-1.s3', vpcEndpointType: 'Gateway' });
  new ec2.CfnEIP(stack, 'Address');
  return stack;
}

// Each stack is synthesized once for the file.
const [priced] = evidenceStacks(pricedResourcesStack().node.root);
const [sample] = evidenceStacks(sampleStack().node.root);

describe('costsOf', () => {
  test('prices every kind of billed resource, per hour over the month or per month', () => {
    const estimate = costsOf(priced.name, priced.template, prices);
    expect(quantities(estimate)).toEqual({
      'Public IPv4 (Elastic IP)': 1,
      'Interface VPC endpoint, per zone': 3,
      'Network Firewall endpoint': 3,
      'VPC Lattice service': 2,
      'Network Load Balancer': 1,
      'Shield Advanced subscription': 1,
      'Verified Access application (endpoint)': 1,
      'Fargate vCPU (ARM), desired tasks': 3,
      'Fargate memory (ARM), desired tasks': 6,
      'GuardDuty Runtime Monitoring of those tasks (baseline default)': 3,
      'Private CA, short-lived certificate mode': 1,
      'Private CA, general-purpose mode': 1,
      'Secrets Manager secret': 3,
      'Cognito Plus plan (assumed 100 monthly active users)': 100,
      'GuardDuty detector, foundational analysis (estimate)': 1,
      'Security Hub standard (assumed 10,000 checks a month)': 20_000,
    });
    const monthly = Object.fromEntries(estimate.lines.map((line) => [line.item, line.monthly]));
    expect(monthly['Network Firewall endpoint']).toBeCloseTo(3 * 0.395 * HOURS, 6);
    expect(monthly['Fargate vCPU (ARM), desired tasks']).toBeCloseTo(3 * 0.03238 * HOURS, 6);
    expect(monthly['Private CA, short-lived certificate mode']).toBe(50);
    expect(monthly['Private CA, general-purpose mode']).toBe(400);
    expect(monthly['Shield Advanced subscription']).toBe(3000);
    expect(monthly['Cognito Plus plan (assumed 100 monthly active users)']).toBeCloseTo(2, 6);
    expect(estimate.total).toBeCloseTo(estimate.lines.reduce((sum, line) => sum + line.monthly, 0), 6);
  });

  test('lists what it does not price, and prices an idle gateway endpoint and Essentials pool at nothing', () => {
    const { unpriced } = costsOf(priced.name, priced.template, prices);
    expect(unpriced).toEqual(expect.arrayContaining([{ type: 'AWS::ECS::TaskDefinition', count: 1 }]));
    expect(unpriced.map((u) => u.type)).not.toContain('AWS::EC2::VPCEndpoint');
  });

  test('prices the building blocks of the sample stack from its template', () => {
    const { name, template } = sample;
    const interfaceEndpoints = resourcesOf(template, 'AWS::EC2::VPCEndpoint').filter((e) => e.Properties?.VpcEndpointType === 'Interface').length;
    expect(quantities(costsOf(name, template, prices))).toEqual(expect.objectContaining({
      'NAT gateway': 2,
      'Public IPv4 (Elastic IP)': 2,
      'Public IPv4 (internet-facing load balancer, one per zone)': 2,
      'Interface VPC endpoint, per zone': 2 * interfaceEndpoints,
      'Application Load Balancer': 1,
      'WAF web ACL': 1,
      'Fargate vCPU (x86), desired tasks': 1,
      'Fargate memory (x86), desired tasks': 2,
      'KMS customer managed key': 4,
    }));
  });
});

describe('the price table', () => {
  test('is dated and gives every price a source page and how it was checked', () => {
    expect(prices.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(prices.prices).sort()).toEqual([...PRICE_KEYS].sort());
    for (const price of Object.values(prices.prices)) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
    }
  });

  test('fails to load without a price the model uses, naming it', () => {
    const table = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, PRICE_TABLE_FILE), 'utf8'));
    delete table.prices.natGatewayHour;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prices-')), 'us-east-1.json');
    fs.writeFileSync(file, JSON.stringify(table));
    expect(() => loadPriceTable(file)).toThrow('prices.natGatewayHour');
  });
});

describe('reports', () => {
  const estimate = costsOf(sample.name, sample.template, prices);

  test('the terminal report prints a line per item and the totals', () => {
    const report = renderCostReport([estimate], prices);
    expect(report).toContain(`prices of ${prices.date}`);
    expect(report).toMatch(/NAT gateway\s+2 × US\$32\.85 per gateway-month\s+US\$65\.70/);
    expect(report).toMatch(new RegExp(`Total\\s+US\\$${estimate.total.toFixed(2)}`));
  });

  test('docs/costs.md shows the date, each stack, the toggles and marks unverified prices', () => {
    const doc = renderCostsDoc([estimate], prices);
    expect(doc).toContain(`**${prices.date}**`);
    expect(doc).toContain('## Stack `Sample`');
    expect(doc).toContain('| `patterns.layeredDefense.shieldAdvanced` | `false` | yes |');
    expect(doc).toMatch(/\| `verifiedAccessApplicationHour` \| 0\.27 \| .* \| \*\*unverified\*\*: /);
  });
});
