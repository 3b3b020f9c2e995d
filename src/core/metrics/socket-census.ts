import { Injectable } from '@nestjs/common';

/** Sockets connected to this node, kept by the Socket.IO adapter (see limited-io.adapter.ts). */
@Injectable()
export class SocketCensus {
  private count = 0;

  get connected(): number {
    return this.count;
  }

  connect(): void {
    this.count += 1;
  }

  disconnect(): void {
    this.count = Math.max(0, this.count - 1);
  }
}
