export * from './types';
export * from './config';
export * from './create-enforcement';
