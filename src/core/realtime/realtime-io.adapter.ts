import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';

/** A Socket.IO adapter class or factory (in-memory, MongoDB, …), as `server.adapter()` takes. */
export type SocketAdapterConstructor = NonNullable<Parameters<Server['adapter']>[0]>;

/**
 * Port: chooses how Socket.IO events reach sockets on other replicas. `undefined` keeps the
 * in-memory adapter (one node). Provided under `SOCKET_ADAPTER_PROVIDER`.
 */
export interface SocketAdapterProvider {
  create(): Promise<SocketAdapterConstructor | undefined>;
}

export const SOCKET_ADAPTER_PROVIDER = Symbol('SOCKET_ADAPTER_PROVIDER');

/** Default: the in-memory adapter (embedded mode). */
export const inMemorySocketAdapter: SocketAdapterProvider = {
  create: () => Promise.resolve(undefined),
};

/** Nest's Socket.IO adapter with a pluggable Socket.IO room adapter. */
export class RealtimeIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly roomAdapter?: SocketAdapterConstructor,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    if (this.roomAdapter) server.adapter(this.roomAdapter);
    return server;
  }
}

/** Builds the app's websocket adapter from the registered `SocketAdapterProvider`. */
export async function createRealtimeAdapter(
  app: INestApplicationContext,
): Promise<RealtimeIoAdapter> {
  const provider = app.get<SocketAdapterProvider>(SOCKET_ADAPTER_PROVIDER, { strict: false });
  return new RealtimeIoAdapter(app, await provider.create());
}
