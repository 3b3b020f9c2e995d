import { MemorySemaphore } from './memory-semaphore';

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setImmediate(r));

describe(MemorySemaphore.name, () => {
  describe('acquire', () => {
    it('should grant at once while the budget has room', async () => {
      const sem = new MemorySemaphore(100);
      await sem.acquire(60);
      await sem.acquire(40);
      expect(sem.heldMB).toBe(100);
    });

    it('should make a job wait until another releases, then grant it', async () => {
      const sem = new MemorySemaphore(100);
      const release = await sem.acquire(70);
      let granted = false;
      const next = sem.acquire(50).then((r) => ((granted = true), r));
      await settle();
      expect(granted).toBe(false);
      expect(sem.waiting).toBe(1);
      release();
      release(); // twice releases once
      (await next)();
      expect(granted).toBe(true);
      expect(sem.heldMB).toBe(0);
    });

    it('should grant in order: a small job does not overtake a waiting big one', async () => {
      const sem = new MemorySemaphore(100);
      const first = await sem.acquire(60);
      const order: string[] = [];
      const big = sem.acquire(90).then((r) => (order.push('big'), r));
      const small = sem.acquire(10).then((r) => (order.push('small'), r));
      await settle();
      expect(order).toEqual([]);
      first();
      (await big)();
      (await small)();
      expect(order).toEqual(['big', 'small']);
    });

    it('should clamp a request above the budget so it runs alone', async () => {
      const sem = new MemorySemaphore(100);
      const release = await sem.acquire(5000);
      expect(sem.heldMB).toBe(100);
      release();
    });

    it('should reject a waiting job when its signal aborts and let the next one in', async () => {
      const sem = new MemorySemaphore(100);
      const release = await sem.acquire(80);
      const controller = new AbortController();
      const aborted = sem.acquire(50, controller.signal);
      const next = sem.acquire(20);
      controller.abort(new Error('cancelled'));
      await expect(aborted).rejects.toThrow('cancelled');
      (await next)();
      release();
      expect(sem.heldMB).toBe(0);
      expect(sem.waiting).toBe(0);
    });
  });
});
