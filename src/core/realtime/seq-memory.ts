/**
 * The highest `seq` passed by each recent job. Two generations of at most `size` jobs each:
 * remembering is one map write (no reordering of a large map per event), and a job not heard of
 * for two whole generations is forgotten.
 */
export class SeqMemory {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();

  constructor(private readonly size: number) {}

  /** The highest seq remembered for `jobId`, 0 when none. */
  get(jobId: string): number {
    return this.current.get(jobId) ?? this.previous.get(jobId) ?? 0;
  }

  /** Remembers `seq` for `jobId` unless a higher one is; the job counts as recent again. */
  remember(jobId: string, seq: number): void {
    this.current.set(jobId, Math.max(this.get(jobId), seq));
    if (this.current.size < this.size) return;
    this.previous = this.current;
    this.current = new Map();
  }
}
