export * from './encode-image';
