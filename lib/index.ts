export * from './core';
export * from './gate';
