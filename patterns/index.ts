export * from './baseline';
export * from './federated-gateway';
export * from './layered-defense';
export * from './service-mesh';
export * from './shared';
export * from './zero-trust-network';
