export * from './color';
export * from './composite';
export * from './resample';
export * from './composite-align';
