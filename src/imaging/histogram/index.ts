export * from './channel-histogram';
export * from './value-histogram';
