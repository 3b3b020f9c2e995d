import { WaitingRoom } from './waiting-room';

function drain(room: WaitingRoom): string[] {
  const out: string[] = [];
  for (let id = room.shift(); id !== undefined; id = room.shift()) out.push(id);
  return out;
}

describe(WaitingRoom.name, () => {
  describe('shift', () => {
    it('should serve higher priority first', () => {
      const room = new WaitingRoom();
      room.push({ id: 'low', owner: 'a', priority: -1 });
      room.push({ id: 'normal', owner: 'a', priority: 0 });
      room.push({ id: 'high', owner: 'a', priority: 5 });
      expect(drain(room)).toEqual(['high', 'normal', 'low']);
    });

    it('should round-robin across owners within a priority', () => {
      const room = new WaitingRoom();
      for (let i = 1; i <= 3; i++) room.push({ id: `a${i}`, owner: 'alice', priority: 0 });
      room.push({ id: 'b1', owner: 'bob', priority: 0 });
      room.push({ id: 'c1', owner: 'carol', priority: 0 });
      expect(drain(room)).toEqual(['a1', 'b1', 'c1', 'a2', 'a3']);
    });

    it('should keep each owner oldest first', () => {
      const room = new WaitingRoom();
      for (let i = 0; i < 5; i++) room.push({ id: `x${i}`, owner: 'x', priority: 0 });
      expect(drain(room)).toEqual(['x0', 'x1', 'x2', 'x3', 'x4']);
    });

    it('should let a newcomer owner in before a heavy owner finishes', () => {
      const room = new WaitingRoom();
      for (let i = 0; i < 100; i++) room.push({ id: `heavy${i}`, owner: 'heavy', priority: 0 });
      room.shift();
      room.push({ id: 'light', owner: 'light', priority: 0 });
      expect(drain(room).indexOf('light')).toBeLessThanOrEqual(1);
    });
  });

  describe('push', () => {
    it('should ignore a job that is already waiting', () => {
      const room = new WaitingRoom();
      expect(room.push({ id: 'j', owner: 'a', priority: 0 })).toBe(true);
      expect(room.push({ id: 'j', owner: 'a', priority: 0 })).toBe(false);
      expect(room.size).toBe(1);
      expect(drain(room)).toEqual(['j']);
    });

    it('should accept many jobs without losing any', () => {
      const room = new WaitingRoom();
      for (let i = 0; i < 5000; i++)
        room.push({ id: String(i), owner: `o${i % 7}`, priority: i % 3 });
      expect(new Set(drain(room)).size).toBe(5000);
      expect(room.size).toBe(0);
    });
  });
});
