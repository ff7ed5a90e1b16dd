import pino from 'pino';
import { WorkQueue, type ReconcileResult, type WorkQueueOptions } from './work-queue';

const logger = pino({ level: 'silent' });
/** Options that stay out of the way of a test about something else. */
const roomy: WorkQueueOptions = { concurrency: 4, baseDelayMs: 5, maxDelayMs: 50, ratePerSecond: 10_000, burst: 1_000 };

/** A promise the test resolves when it chooses, to hold a handler in the middle of its run. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('WorkQueue', () => {
  let sut: WorkQueue | undefined;
  afterEach(async () => {
    await sut?.stop();
    sut = undefined;
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('runs a key added several times while it waits once', async () => {
    const runs: string[] = [];
    sut = new WorkQueue('test', async (key) => void runs.push(key), roomy, logger);
    sut.add('tenant-a');
    sut.add('tenant-b');
    sut.add('tenant-a');
    sut.add('tenant-a');
    expect(sut.depth).toBe(2);
    sut.start();
    await vi.waitFor(() => expect(runs).toEqual(['tenant-a', 'tenant-b']));
    await sut.stop();
    expect(runs).toEqual(['tenant-a', 'tenant-b']);
    expect(sut.depth).toBe(0);
  });

  it('never runs one key twice at once, and runs it once more when it was added during its run', async () => {
    const held = gate();
    let running = 0;
    let mostAtOnce = 0;
    const runs: string[] = [];
    sut = new WorkQueue(
      'test',
      async (key) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        runs.push(key);
        if (runs.length === 1) await held.opened;
        running -= 1;
      },
      roomy,
      logger,
    );
    sut.start();
    sut.add('tenant-a');
    await vi.waitFor(() => expect(runs).toEqual(['tenant-a']));
    sut.add('tenant-a');
    sut.add('tenant-a');
    expect(sut.depth).toBe(0);
    held.open();
    await vi.waitFor(() => expect(runs).toEqual(['tenant-a', 'tenant-a']));
    await sut.stop();
    expect(runs).toEqual(['tenant-a', 'tenant-a']);
    expect(mostAtOnce).toBe(1);
  });

  it('runs different keys side by side up to the concurrency', async () => {
    const held = gate();
    const started: string[] = [];
    const holdEachRun = async (key: string) => {
      started.push(key);
      await held.opened;
    };
    sut = new WorkQueue('test', holdEachRun, { ...roomy, concurrency: 2 }, logger);
    sut.start();
    for (const key of ['a', 'b', 'c']) sut.add(key);
    await vi.waitFor(() => expect(started).toEqual(['a', 'b']));
    expect(sut.depth).toBe(1);
    held.open();
    await vi.waitFor(() => expect(started).toEqual(['a', 'b', 'c']));
  });

  it('retries a failing key with a delay that doubles up to the cap, and starts again from the base after a success', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter, so the delays are exact
    let failing = true;
    let runs = 0;
    sut = new WorkQueue(
      'test',
      async () => {
        runs += 1;
        if (failing) throw new Error('database unreachable');
      },
      { ...roomy, baseDelayMs: 10, maxDelayMs: 40 },
      logger,
    );
    sut.start();
    sut.add('tenant-a');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);

    // Retries after 10, then 20, then 40, then 40 again (the cap).
    for (const delayMs of [10, 20, 40, 40]) {
      const runsBefore = runs;
      await vi.advanceTimersByTimeAsync(delayMs - 1);
      expect(runs).toBe(runsBefore);
      await vi.advanceTimersByTimeAsync(1);
      expect(runs).toBe(runsBefore + 1);
    }

    failing = false;
    await vi.advanceTimersByTimeAsync(40);
    expect(runs).toBe(6);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(6); // a success schedules nothing

    failing = true;
    sut.add('tenant-a');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(7);
    await vi.advanceTimersByTimeAsync(9);
    expect(runs).toBe(7);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(8); // back to the base delay
  });

  it('keeps the failures of one key from delaying another', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const runs: string[] = [];
    sut = new WorkQueue(
      'test',
      async (key) => {
        runs.push(key);
        if (key === 'broken') throw new Error('bad spec');
      },
      { ...roomy, baseDelayMs: 10, maxDelayMs: 1_000 },
      logger,
    );
    sut.start();
    sut.add('broken');
    await vi.advanceTimersByTimeAsync(10 + 20 + 40);
    expect(runs).toEqual(['broken', 'broken', 'broken', 'broken']);
    sut.add('healthy');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.at(-1)).toBe('healthy');
  });

  it('runs a key again after the delay its handler asked for', async () => {
    vi.useFakeTimers();
    const results: Array<ReconcileResult | void> = [{ requeueAfterMs: 30 }, undefined];
    let runs = 0;
    sut = new WorkQueue('test', async () => results[runs++], roomy, logger);
    sut.start();
    sut.add('cell-1');
    await vi.advanceTimersByTimeAsync(29);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
  });

  it('keeps the earliest of two delayed adds of a key', async () => {
    vi.useFakeTimers();
    let runs = 0;
    sut = new WorkQueue('test', async () => void (runs += 1), roomy, logger);
    sut.start();
    sut.addAfter('cell-1', 100);
    sut.addAfter('cell-1', 20);
    sut.addAfter('cell-1', 500);
    await vi.advanceTimersByTimeAsync(20);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
  });

  it('starts no more handlers than the burst at once, then as many as the rate allows', async () => {
    vi.useFakeTimers();
    let starts = 0;
    sut = new WorkQueue('test', async () => void (starts += 1), { ...roomy, concurrency: 100, ratePerSecond: 10, burst: 3 }, logger);
    for (let i = 0; i < 50; i += 1) sut.add(`tenant-${i}`);
    sut.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(starts).toBe(3);
    await vi.advanceTimersByTimeAsync(99);
    expect(starts).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toBe(4);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(starts).toBe(14);
    expect(sut.depth).toBe(36);
  });

  it('waits for the running handlers when stopped, and starts no others', async () => {
    // Fake timers: running all of them shows whatever the queue would still do, with no waiting.
    vi.useFakeTimers();
    const held = gate();
    const started: string[] = [];
    let finished = 0;
    sut = new WorkQueue(
      'test',
      async (key) => {
        started.push(key);
        await held.opened;
        finished += 1;
      },
      { ...roomy, concurrency: 1 },
      logger,
    );
    sut.start();
    sut.add('a');
    sut.add('b');
    await vi.waitFor(() => expect(started).toEqual(['a']));
    let stopped = false;
    const stopping = sut.stop().then(() => (stopped = true));
    await vi.runAllTimersAsync();
    expect(stopped).toBe(false);
    held.open();
    await stopping;
    expect(finished).toBe(1);
    sut.add('c');
    await vi.runAllTimersAsync();
    expect(started).toEqual(['a']);
  });

  it('refuses options that would never run anything', () => {
    expect(() => new WorkQueue('test', async () => undefined, { ...roomy, concurrency: 0 }, logger)).toThrow(/invalid options/);
    expect(() => new WorkQueue('test', async () => undefined, { ...roomy, ratePerSecond: Number.NaN }, logger)).toThrow(/invalid options/);
    expect(() => new WorkQueue('test', async () => undefined, { ...roomy, maxDelayMs: 1 }, logger)).toThrow(/invalid options/);
  });
});
