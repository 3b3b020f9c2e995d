export * from './fits-card';
export * from './fits-header';
export * from './fits-reader';
export * from './fits-writer';
export * from './fits-gzip';
