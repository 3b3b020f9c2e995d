export * from './color';
export * from './composite';
export * from './resample';
