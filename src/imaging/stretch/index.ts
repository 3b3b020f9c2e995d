export * from './percentile';
export * from './stretch-functions';
export * from './stretch-plane';
export * from './zscale';
export * from './sky-level';
