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
        { name: 'search_notes', group: 'notes-read' },
        { name: 'get_note', group: 'notes-read' },
        { name: 'add_note', group: 'notes-write' },
        { name: 'delete_note', group: 'notes-write', destructive: true },
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
