export * from './zero-trust-front-door';
export * from './zero-trust-network-props';
export * from './zero-trust-network-stack';
export * from './zero-trust-servers';
