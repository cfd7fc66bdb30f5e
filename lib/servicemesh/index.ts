export * from './mesh-options';
export * from './service-connect-mesh';
