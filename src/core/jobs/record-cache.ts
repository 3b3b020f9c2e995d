import { JobRecord } from './job.model';

/** Bounded LRU of job records (Map keeps insertion order; re-insert on use). */
export class RecordCache {
  private readonly map = new Map<string, JobRecord>();

  constructor(private readonly capacity: number) {}

  get(id: string): JobRecord | undefined {
    const record = this.map.get(id);
    if (record) {
      this.map.delete(id);
      this.map.set(id, record);
    }
    return record;
  }

  set(record: JobRecord): void {
    this.map.delete(record.id);
    this.map.set(record.id, record);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  delete(id: string): void {
    this.map.delete(id);
  }
}
