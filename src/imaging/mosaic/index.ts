export * from './mosaic';
export * from './mosaic-canvas';
export * from './mosaic-layout';
export * from './wcs-mosaic';
