export * from './imaging-pool';
export * from './imaging-tasks';
