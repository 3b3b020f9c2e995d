import { SeqMemory } from './seq-memory';

/** Other jobs, each heard of once. */
const hear = (memory: SeqMemory, ...jobIds: string[]): void =>
  jobIds.forEach((id) => memory.remember(id, 1));

describe(SeqMemory.name, () => {
  it('should keep the highest seq of a job', () => {
    const memory = new SeqMemory(10);
    memory.remember('a', 5);
    memory.remember('a', 3);
    expect(memory.get('a')).toBe(5);
    memory.remember('a', 9);
    expect(memory.get('a')).toBe(9);
    expect(memory.get('b')).toBe(0);
  });

  it('should forget a job only after two generations without it', () => {
    const memory = new SeqMemory(3);
    memory.remember('old', 7);
    hear(memory, 'x1', 'x2'); // a full generation: it becomes the previous one
    expect(memory.get('old')).toBe(7);
    hear(memory, 'x3', 'x4', 'x5'); // a second one: the first is gone
    expect(memory.get('old')).toBe(0);
    expect(memory.get('x3')).toBe(1);
  });

  it('should keep a job that is heard of again in the newest generation', () => {
    const memory = new SeqMemory(3);
    memory.remember('busy', 1);
    hear(memory, 'x1', 'x2');
    memory.remember('busy', 2); // from the previous generation into the current one
    hear(memory, 'x3', 'x4', 'x5');
    expect(memory.get('busy')).toBe(2);
  });
});
