export * from './core';
export * from './encryption';
export * from './gate';
export * from './logging';
