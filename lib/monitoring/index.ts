export * from './finding-patterns';
export * from './security-monitoring';
export * from './task-quarantine';
