export * from './estimate';
export * from './memory-semaphore';
