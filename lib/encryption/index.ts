export * from './key-policy-statements';
export * from './key-ring';
