export * from './celestial-wcs';
export * from './footprint';
export * from './output-grid';
export * from './reproject';
export * from './wcs-cards';
export * from './wcs-transform';
