export * from './access';
export * from './authorization';
export * from './compute';
export * from './core';
export * from './egress';
export * from './encryption';
export * from './gate';
export * from './gateway';
export * from './identity';
export * from './logging';
export * from './mesh';
export * from './monitoring';
export * from './network';
export * from './perimeter';
export * from './servicemesh';
// The deployable patterns are part of the package's public API.
export * from '../patterns';
