import { mongo } from 'mongoose';
import { AddressInfo, createServer, Server, Socket } from 'node:net';

const { BSON } = mongo;
const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

/**
 * A stand-in for a `mongod` that speaks just enough of the wire protocol for the driver to connect:
 * every command is answered `ok`, and `hello`/`isMaster` as a standalone server (no `setName`) or,
 * given `setName`, as the primary of that replica set. Enough to prove the boot check; stores nothing.
 */
export class FakeMongod {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(setName?: string): Promise<FakeMongod> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      serve(socket, setName);
    });
    server.on('close', () => sockets.forEach((s) => s.destroy()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = `mongodb://127.0.0.1:${port}/darkroom?directConnection=true&serverSelectionTimeoutMS=3000`;
    return new FakeMongod(server, url);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.emit('close');
    });
  }
}

function helloAnswer(setName?: string): Record<string, unknown> {
  return {
    ...(setName ? { setName, hosts: ['127.0.0.1:27017'], primary: '127.0.0.1:27017' } : {}),
    ok: 1,
    helloOk: true,
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: 1,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
  };
}

function answerTo(command: Record<string, unknown>, setName?: string): Record<string, unknown> {
  const name = Object.keys(command)[0]?.toLowerCase();
  return name === 'hello' || name === 'ismaster' ? helloAnswer(setName) : { ok: 1 };
}

function serve(socket: Socket, setName?: string): void {
  let pending = Buffer.alloc(0);
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
      const length = pending.readInt32LE(0);
      socket.write(reply(pending.subarray(0, length), setName));
      pending = pending.subarray(length);
    }
  });
}

/** The answer to one OP_QUERY (the driver's first handshake) or OP_MSG. */
function reply(message: Buffer, setName?: string): Buffer {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_QUERY) {
    const nameEnd = message.indexOf(0, 20);
    const command = BSON.deserialize(message.subarray(nameEnd + 9));
    const doc = BSON.serialize(answerTo(command, setName));
    const body = Buffer.alloc(20);
    body.writeInt32LE(1, 16); // numberReturned; flags, cursorId and startingFrom stay 0
    return frame(OP_REPLY, requestId, Buffer.concat([body, doc]));
  }
  if (opCode !== OP_MSG) throw new Error(`fake mongod: unexpected opCode ${opCode}`);
  const command = BSON.deserialize(message.subarray(21)); // flags (4) + section kind 0 (1)
  const doc = BSON.serialize(answerTo(command, setName));
  return frame(OP_MSG, requestId, Buffer.concat([Buffer.alloc(5), doc]));
}

function frame(opCode: number, responseTo: number, body: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + body.length, 0);
  header.writeInt32LE(Math.floor(Math.random() * 2 ** 31), 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, body]);
}
