import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import { sampleStack } from './fixtures/sample-stack';
import { renderDiagramDoc, renderMermaid } from '../../scripts/evidence/diagram-doc';
import { architectureOf } from '../../scripts/evidence/diagram-model';
import { checksOf } from '../../scripts/evidence/diagram-resources';
import { diagramDocs } from '../../scripts/evidence/diagrams';
import { evidenceStacks } from '../../scripts/evidence/kit-app';

const [evidence] = evidenceStacks(sampleStack().node.root);
const model = architectureOf(evidence);
const named = (name: string) => model.components.find((c) => c.name === name && c.tier !== 'Ingress') ?? model.components.find((c) => c.name === name)!;

describe('architectureOf', () => {
  test('makes one component per building block and tier, and leaves CDK plumbing out', () => {
    // The VPC is placed in two tiers, so its flow log and gateway endpoints stay a regional box of their own.
    expect(model.components.map((c) => [c.name, c.tier ?? 'regional', c.contents.join(', ')])).toEqual([
      ['Network (SegmentedVpc)', 'regional', 'log group, 2 gateway endpoints'],
      ['Network (SegmentedVpc)', 'Ingress', '2 NAT gateways'],
      ['Network (SegmentedVpc)', 'Workload', expect.stringMatching(/^\d+ interface endpoints$/)],
      ['Endpoint (SecureLoadBalancer)', 'Ingress', expect.stringMatching(/^Application Load Balancer/)],
      ['Server (McpServerService)', 'Workload', 'ECS service, 2 × 0.5 vCPU / 1 GB, log group'],
    ]);
    expect(model.vpcs).toEqual([{ id: expect.stringMatching(/^Network/), cidr: '10.50.0.0/16', tiers: ['Ingress', 'Workload', 'Data'] }]);
  });

  test('describes what each component holds and which checks run there', () => {
    expect(named('Server (McpServerService)').contents).toEqual(['ECS service, 2 × 0.5 vCPU / 1 GB', 'log group']);
    const endpoint = named('Endpoint (SecureLoadBalancer)');
    expect(endpoint.contents[0]).toBe('Application Load Balancer, internet-facing');
    expect(endpoint.checks).toEqual([expect.stringMatching(/^WAF: \d+ rules$/), expect.stringMatching(/^TLS on :443 \(ELBSecurityPolicy-TLS13/)]);
  });

  test('turns security group rules into flows between components and networks, ports merged', () => {
    const flows = model.flows.map((f) => [model.components.find((c) => c.id === f.from)?.name ?? f.from, model.components.find((c) => c.id === f.to)?.name ?? f.to, f.ports.join(', ')]);
    expect(flows).toEqual(expect.arrayContaining([
      ['internet', 'Endpoint (SecureLoadBalancer)', 'tcp 443'],
      ['Endpoint (SecureLoadBalancer)', 'Server (McpServerService)', 'tcp 8080'],
      ['Server (McpServerService)', 'internet', 'tcp 443'],
      [expect.stringMatching(/^tier_Network.*_Workload$/), 'Network (SegmentedVpc)', 'tcp 443'],
    ]));
    // The ALB → server flow is written twice (ALB egress, server ingress) and drawn once.
    expect(model.flows.filter((f) => f.to === named('Server (McpServerService)').id)).toHaveLength(1);
  });

  test('shows each KMS key with what encrypts with it', () => {
    expect(model.keys.map((k) => k.name)).toEqual(['Keys/Logs', 'Keys/Data', 'Keys/Secrets', 'Keys/Signing']);
    expect(model.keys[0].encrypts).toEqual(['3 log groups']);
    expect(named('Server (McpServerService)').encryptedWith).toEqual(['Keys/Logs']);
  });
});

describe('VPC Lattice routes', () => {
  /** A service network, a Lattice service associated with it and an ECS service its listener forwards to, each a block of its own. */
  function latticeStack(): Stack {
    const stack = new Stack(new App(), 'Lattice', { env: { account: '111111111111', region: 'us-east-1' } });
    const network = new vpclattice.CfnServiceNetwork(new Construct(stack, 'Mesh'), 'Resource', { authType: 'AWS_IAM' });
    const frontend = new Construct(stack, 'Frontend');
    const service = new vpclattice.CfnService(frontend, 'Service', { authType: 'AWS_IAM' });
    new vpclattice.CfnServiceNetworkServiceAssociation(frontend, 'Association', { serviceNetworkIdentifier: network.attrId, serviceIdentifier: service.attrId });
    const group = new vpclattice.CfnTargetGroup(frontend, 'Targets', { type: 'IP', config: { port: 8080, protocol: 'HTTPS', vpcIdentifier: 'vpc-0123456789abcdef0' } });
    new vpclattice.CfnListener(frontend, 'Https', {
      serviceIdentifier: service.attrId, protocol: 'HTTPS', defaultAction: { forward: { targetGroups: [{ targetGroupIdentifier: group.attrId }] } },
    });
    const task = new ecs.CfnTaskDefinition(new Construct(stack, 'Server'), 'Task', { cpu: '256', memory: '512', requiresCompatibilities: ['FARGATE'] });
    const server = new ecs.CfnService(task.node.scope as Construct, 'Service', { taskDefinition: task.ref });
    server.addPropertyOverride('VpcLatticeConfigurations', [{ TargetGroupArn: group.attrArn, PortName: 'mcp', RoleArn: 'arn:aws:iam::111111111111:role/infra' }]);
    return stack;
  }

  test('are drawn dotted from the network to its services and from a service to the ECS services it forwards to', () => {
    const [lattice] = evidenceStacks(latticeStack().node.root);
    const routes = architectureOf(lattice);
    const id = (name: string) => routes.components.find((c) => c.name === name)!.id;
    expect(routes.flows).toEqual([
      { from: id('Mesh'), to: id('Frontend'), ports: ['service association'], kind: 'route' },
      { from: id('Frontend'), to: id('Server'), ports: ['Lattice route'], kind: 'route' },
    ]);
    expect(renderMermaid(routes)).toContain(`${id('Frontend')} -.->|"Lattice route"| ${id('Server')}`);
  });
});

describe('renderMermaid', () => {
  const mermaid = renderMermaid(model);

  test('draws tiers inside the VPC, boxes with bold names, keys as cylinders and labelled flows', () => {
    const server = named('Server (McpServerService)').id;
    const endpoint = named('Endpoint (SecureLoadBalancer)').id;
    expect(mermaid.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid).toMatch(/subgraph vpc_Network\w+\["VPC 10\.50\.0\.0\/16"\]\n {4}subgraph tier_Network\w+_Ingress\["Ingress tier"\]/);
    expect(mermaid).toContain(`${server}["<b>Server (McpServerService)</b><br/>ECS service, 2 × 0.5 vCPU / 1 GB<br/>log group"]`);
    expect(mermaid).toContain('key0[("Keys/Logs<br/>3 log groups")]');
    expect(mermaid).toContain('net_internet(("Internet"))');
    expect(mermaid).toContain(`net_internet -->|"tcp 443"| ${endpoint}`);
    expect(mermaid).toContain(`${endpoint} -->|"tcp 8080"| ${server}`);
  });

  test('leaves out tiers nothing is placed in or flows to', () => {
    expect(mermaid).not.toContain('Data tier');
  });

  test('has only valid node ids and balanced subgraphs', () => {
    const lines = mermaid.split('\n');
    expect(lines.filter((l) => /^\s*subgraph /.test(l))).toHaveLength(lines.filter((l) => /^\s*end$/.test(l)).length);
    for (const line of lines.filter((l) => l.includes('-->'))) {
      expect(line).toMatch(/^ {2}\w+ -->\|"[^"]+"\| \w+$/);
    }
  });
});

describe('diagram documents', () => {
  test('one page per stack with the diagram, the components and the flows, and an index', () => {
    const docs = diagramDocs([evidence]);
    expect([...docs.keys()]).toEqual(['docs/diagrams/Sample.md', 'docs/diagrams/README.md']);
    const page = docs.get('docs/diagrams/Sample.md')!;
    expect(page).toContain('```mermaid\nflowchart LR\n');
    expect(page).toContain('| `Server (McpServerService)` | Workload tier | ECS service, 2 × 0.5 vCPU / 1 GB, log group | — | Keys/Logs |');
    expect(page).toContain('| Endpoint (SecureLoadBalancer) | Server (McpServerService) | tcp 8080 |');
    expect(docs.get('docs/diagrams/README.md')).toContain('| [Sample](Sample.md) | 5 |');
  });

  test('are the same on every run', () => {
    const [again] = evidenceStacks(sampleStack().node.root);
    expect(renderDiagramDoc(architectureOf(again))).toEqual(renderDiagramDoc(model));
  });
});

describe('checksOf', () => {
  test('names Service Connect TLS on a service that serves with it', () => {
    const stack = new Stack(new App(), 'Mesh');
    const owner = new Construct(stack, 'Server');
    const issuerCertificateAuthority = { awsPcaAuthorityArn: 'arn:aws:acm-pca:us-east-1:111111111111:certificate-authority/x' };
    const service = new ecs.CfnService(owner, 'Service', {
      serviceConnectConfiguration: { enabled: true, services: [{ portName: 'mcp', tls: { issuerCertificateAuthority } }] },
    });
    const [evidenceOfMesh] = evidenceStacks(stack);
    const logicalId = stack.resolve(service.logicalId) as string;
    const resource = { logicalId, ...evidenceOfMesh.template.Resources![logicalId] };
    expect(checksOf(owner, [resource])).toEqual(['Service Connect TLS (Private CA)']);
  });
});
