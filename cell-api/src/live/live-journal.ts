import type Redis from 'ioredis';

/** One event as a location's journal keeps it: its place in the room's sequence, its name and payload. */
export interface JournalEntry {
  seq: number;
  event: string;
  payload: Record<string, unknown>;
}

/** What a reconnecting client missed since `seq`, or that it must refetch (`resync`). */
export interface CatchUp {
  /** The room's latest sequence number: continue from here. */
  seq: number;
  missed: JournalEntry[];
  /** The gap is longer than the journal keeps: refetch the figures, then continue from `seq`. */
  resync: boolean;
}

/**
 * A location's recent live events, numbered: every event sent to a location's room gets
 * the next number of that location, and the last `capacity` are kept (for a day), so a
 * client that reconnects asks for what came after the last number it applied.
 */
export interface LiveJournal {
  append(room: string, event: string, payload: Record<string, unknown>): Promise<number>;
  since(room: string, seq: number): Promise<CatchUp>;
  /** The room's latest number (0 before its first event). */
  latest(room: string): Promise<number>;
  close(): Promise<void>;
}

export const JOURNAL_CAPACITY = 500;
const JOURNAL_TTL_SECONDS = 86_400;

function catchUpFrom(entries: JournalEntry[], latest: number, since: number): CatchUp {
  if (since >= latest) return { seq: latest, missed: [], resync: since > latest };
  const missed = entries.filter((entry) => entry.seq > since).sort((x, y) => x.seq - y.seq);
  // Complete only if the oldest kept entry follows right after what the client has.
  const resync = missed.length === 0 || missed[0]!.seq !== since + 1;
  return { seq: latest, missed: resync ? [] : missed, resync };
}

/** Several processes of a cell: the numbers and entries live in Redis, shared by all. */
export class RedisLiveJournal implements LiveJournal {
  constructor(
    readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly capacity = JOURNAL_CAPACITY,
  ) {}

  async append(room: string, event: string, payload: Record<string, unknown>): Promise<number> {
    const seq = await this.redis.incr(`${this.keyPrefix}live:seq:${room}`);
    const log = `${this.keyPrefix}live:log:${room}`;
    await this.redis
      .multi()
      .lpush(log, JSON.stringify({ seq, event, payload }))
      .ltrim(log, 0, this.capacity - 1)
      .expire(log, JOURNAL_TTL_SECONDS)
      .expire(`${this.keyPrefix}live:seq:${room}`, JOURNAL_TTL_SECONDS * 30)
      .exec();
    return seq;
  }

  async since(room: string, seq: number): Promise<CatchUp> {
    const [latest, raw] = await Promise.all([
      this.redis.get(`${this.keyPrefix}live:seq:${room}`),
      this.redis.lrange(`${this.keyPrefix}live:log:${room}`, 0, this.capacity - 1),
    ]);
    return catchUpFrom(
      raw.map((line) => JSON.parse(line) as JournalEntry),
      Number(latest ?? 0),
      seq,
    );
  }

  async latest(room: string): Promise<number> {
    return Number((await this.redis.get(`${this.keyPrefix}live:seq:${room}`)) ?? 0);
  }

  async close(): Promise<void> {
    // The Redis connection belongs to the caller.
  }
}

/** One process (the embedded demo): the same journal in memory. */
export class MemoryLiveJournal implements LiveJournal {
  private readonly rooms = new Map<string, { seq: number; entries: JournalEntry[] }>();

  constructor(private readonly capacity = JOURNAL_CAPACITY) {}

  append(room: string, event: string, payload: Record<string, unknown>): Promise<number> {
    let journal = this.rooms.get(room);
    if (!journal) this.rooms.set(room, (journal = { seq: 0, entries: [] }));
    journal.seq += 1;
    journal.entries.push({ seq: journal.seq, event, payload });
    if (journal.entries.length > this.capacity) journal.entries.shift();
    return Promise.resolve(journal.seq);
  }

  since(room: string, seq: number): Promise<CatchUp> {
    const journal = this.rooms.get(room);
    return Promise.resolve(catchUpFrom(journal?.entries ?? [], journal?.seq ?? 0, seq));
  }

  latest(room: string): Promise<number> {
    return Promise.resolve(this.rooms.get(room)?.seq ?? 0);
  }

  close(): Promise<void> {
    this.rooms.clear();
    return Promise.resolve();
  }
}
