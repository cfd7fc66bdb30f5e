import { KitConfigInput } from './schema';

/**
 * The configuration `npx cdk synth` uses without `-c config=…`: all four patterns, one
 * sample MCP server built from this repository, no AWS account needed to synthesize.
 * Deploying it needs a domain you control (the certificate is DNS-validated).
 */
export const DEFAULT_CONFIG: KitConfigInput = {
  version: 1,
  projectName: 'mcp-kit',
  endpoint: { domainName: 'mcp.example.com' },
  identity: {
    type: 'cognito',
    domainPrefix: 'mcp-kit-example',
    clients: [
      { name: 'mcp-inspector', callbackUrls: ['http://localhost:6274/oauth/callback'] },
      { name: 'vscode', callbackUrls: ['http://127.0.0.1:33418/', 'https://vscode.dev/redirect'] },
    ],
  },
  mcpServers: [
    {
      name: 'sample',
      image: { directory: 'runtime/sample-mcp-server' },
      port: 8080,
      toolGroups: [
        { name: 'notes-read', description: 'Read and search notes' },
        { name: 'notes-write', description: 'Create and delete notes' },
      ],
      tools: [
        { name: 'search_notes', group: 'notes-read', pin: 'sha256:dc4ff09b1019b19ef39bffcf503da91c66b55364eb59624820a008b050f698b1' },
        { name: 'get_note', group: 'notes-read', pin: 'sha256:169416f46d57e7e2167b2861b27550c32bad14615ceed7a6ac0ed9f82abf02a2' },
        { name: 'add_note', group: 'notes-write', pin: 'sha256:4634aafe2c95d0dd47fbdbfbcbe07072ac0ae56bb4f8e01dba2b0136f1484558' },
        { name: 'delete_note', group: 'notes-write', destructive: true, pin: 'sha256:5b615bf97e039c6b7f3444ff1d88b94954194f267eb337be21af6fd5de66e269' },
      ],
    },
  ],
  patterns: {
    federatedGateway: {
      env: { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] },
      cidr: '10.10.0.0/16',
    },
    zeroTrustNetwork: {
      env: { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] },
      cidr: '10.20.0.0/16',
    },
    layeredDefense: {
      env: { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] },
      cidr: '10.30.0.0/16',
    },
    serviceMesh: {
      env: { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] },
      cidr: '10.40.0.0/16',
    },
  },
};
