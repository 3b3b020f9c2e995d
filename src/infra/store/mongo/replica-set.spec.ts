import { assertReplicaSet, NotAReplicaSetError } from './replica-set';

describe(assertReplicaSet.name, () => {
  it('should answer the set name of a replica set member', () => {
    expect(assertReplicaSet({ setName: 'rs0' })).toBe('rs0');
  });

  it('should refuse a standalone server with a message that says what to do', () => {
    expect(() => assertReplicaSet({})).toThrow(NotAReplicaSetError);
    expect(() => assertReplicaSet({})).toThrow(/replica set.*--replSet rs0.*rs\.initiate\(\)/s);
  });
});
