/** Pure imaging library: buffers and typed arrays in, buffers out. No Nest, HTTP or storage. */
export * from './composite';
export * from './decode';
export * from './encode';
export * from './errors';
export * from './fits';
export * from './histogram';
export * from './memory';
export * from './mosaic';
export * from './pool';
export * from './stretch';
export * from './thumbnail';
export * from './types';
export * from './wcs';
