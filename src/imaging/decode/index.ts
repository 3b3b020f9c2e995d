export * from './decode-planes';
export * from './detect-format';
export * from './probe';
