import { AppConfig } from '../../config/app-config';
import { JobContext } from '../../core/jobs/job-handler';
import { MemoryBudget } from './memory-budget';

const budget = () => new MemoryBudget({ imagingMemoryMB: 2048 } as AppConfig);
const over = { fixedMB: 100, scalableMB: 3000, totalMB: 3100 };

function context(): JobContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    signal: new AbortController().signal,
    log: (t: string) => lines.push(t),
    lines,
  } as never;
}

describe(MemoryBudget.name, () => {
  describe('plan', () => {
    it('should run at full size when the estimate fits', () => {
      expect(budget().plan({ fixedMB: 10, scalableMB: 90, totalMB: 100 })).toEqual({
        scale: 1,
        mb: 100,
      });
    });

    it('should answer 422 too_large with the estimate and the factor when over budget', () => {
      expect(() => budget().plan(over)).toThrow(
        expect.objectContaining({
          status: 422,
          code: 'too_large',
          details: [
            {
              field: 'memory',
              problem: 'needs ~3100 MB, budget 2048 MB: downscale to 0.80 or below',
            },
          ],
        }),
      );
    });

    it('should downscale to the factor that fits when asked', () => {
      const plan = budget().plan(over, true);
      expect(plan.scale).toBe(0.8);
      expect(plan.mb).toBeLessThanOrEqual(2048);
    });

    it('should refuse even with downscale when the fixed part is over budget', () => {
      expect(() => budget().plan({ fixedMB: 3000, scalableMB: 1, totalMB: 3001 }, true)).toThrow(
        expect.objectContaining({ code: 'too_large' }),
      );
    });
  });

  describe('hold', () => {
    it('should make a second job wait for memory, logging why, until the first is done', async () => {
      const b = budget();
      let release!: () => void;
      const first = b.hold(context(), 1500, () => new Promise<void>((r) => (release = r)));
      const ctx = context();
      let ran = false;
      const second = b.hold(ctx, 1000, () => Promise.resolve((ran = true)));
      await new Promise((r) => setImmediate(r));
      expect(ran).toBe(false);
      expect(ctx.lines).toEqual(['waiting for 1000 MB of the 2048 MB imaging memory budget']);
      release();
      await first;
      await second;
      expect(ran).toBe(true);
    });
  });
});
