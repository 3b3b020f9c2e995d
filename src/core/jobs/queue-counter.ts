/**
 * Counts jobs waiting (state `queued`) overall and per owner, so the bounded waiting room is
 * enforced without a COUNT query per submission. Reconciled from the store periodically, which
 * also picks up changes made by other replicas.
 */
export class QueueCounter {
  private total = 0;
  private readonly byOwner = new Map<string, number>();

  get waiting(): number {
    return this.total;
  }

  of(owner: string): number {
    return this.byOwner.get(owner) ?? 0;
  }

  add(owner: string, delta: number): void {
    this.total = Math.max(0, this.total + delta);
    const next = Math.max(0, this.of(owner) + delta);
    if (next === 0) this.byOwner.delete(owner);
    else this.byOwner.set(owner, next);
  }

  reset(total: number, byOwner: Map<string, number>): void {
    this.total = total;
    this.byOwner.clear();
    for (const [owner, n] of byOwner) this.byOwner.set(owner, n);
  }
}
