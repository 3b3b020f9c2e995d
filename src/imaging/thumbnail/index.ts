export * from './thumbnail';
