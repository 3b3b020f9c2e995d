import { WindowThrottlerStorage } from './window-throttler.storage';

describe('WindowThrottlerStorage', () => {
  let storage: WindowThrottlerStorage;
  let now: number;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    storage = new WindowThrottlerStorage();
  });

  afterEach(() => {
    storage.close();
    jest.restoreAllMocks();
  });

  const hit = (key = 'alice', name = 'submissions') =>
    storage.increment(key, 60_000, 3, 60_000, name);

  it('should count hits per key and throttler and refuse the one over the limit', async () => {
    expect((await hit()).totalHits).toBe(1);
    await hit();
    expect(await hit()).toMatchObject({ totalHits: 3, isBlocked: false, timeToExpire: 60 });
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    expect(await hit('bob')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await hit('alice', 'uploads')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('should keep a key refused until its block ends, then count from zero', async () => {
    for (let i = 0; i < 4; i++) await hit();
    now += 30_000;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    now += 30_000;
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
