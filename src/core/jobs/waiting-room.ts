/** An entry of the in-process waiting room. */
export interface WaitingJob {
  id: string;
  owner: string;
  priority: number;
}

/** FIFO of ids with O(1) push/shift (a head index instead of Array#shift). */
class Fifo {
  private items: string[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(id: string): void {
    this.items.push(id);
  }

  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const id = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return id;
  }
}

/** One priority level: owners served round-robin, each owner's jobs oldest first. */
class PriorityLevel {
  private readonly byOwner = new Map<string, Fifo>();
  private ring: string[] = [];
  private next = 0;

  get empty(): boolean {
    return this.ring.length === 0;
  }

  push(owner: string, id: string): void {
    let fifo = this.byOwner.get(owner);
    if (!fifo) {
      fifo = new Fifo();
      this.byOwner.set(owner, fifo);
      this.ring.push(owner);
    }
    fifo.push(id);
  }

  shift(): string | undefined {
    if (this.ring.length === 0) return undefined;
    if (this.next >= this.ring.length) this.next = 0;
    const owner = this.ring[this.next];
    const fifo = this.byOwner.get(owner)!;
    const id = fifo.shift();
    if (fifo.size === 0) {
      this.byOwner.delete(owner);
      this.ring.splice(this.next, 1);
    } else {
      this.next++;
    }
    return id;
  }
}

/**
 * The in-process waiting room of one job type. Order: higher priority first, then round-robin
 * across owners, then oldest first. Entries are only hints: the store's claim decides.
 */
export class WaitingRoom {
  private readonly levels = new Map<number, PriorityLevel>();
  private priorities: number[] = [];
  private readonly ids = new Set<string>();

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Adds a job in arrival order; callers add older jobs first. Returns false for duplicates. */
  push(job: WaitingJob): boolean {
    if (this.ids.has(job.id)) return false;
    this.ids.add(job.id);
    let level = this.levels.get(job.priority);
    if (!level) {
      level = new PriorityLevel();
      this.levels.set(job.priority, level);
      this.priorities = [...this.levels.keys()].sort((a, b) => b - a);
    }
    level.push(job.owner, job.id);
    return true;
  }

  shift(): string | undefined {
    for (const priority of this.priorities) {
      const level = this.levels.get(priority)!;
      const id = level.shift();
      if (id !== undefined) {
        this.ids.delete(id);
        return id;
      }
    }
    return undefined;
  }
}
