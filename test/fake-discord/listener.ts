// The HTTP server both REST and the gateway share, with the ability to refuse connections and
// come back on the same port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export class Listener {
  private readonly sockets = new Set<Socket>();

  private constructor(readonly server: Server, readonly port: number) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Listens on 127.0.0.1 and a free port. */
  static async start(): Promise<Listener> {
    const server = createServer();
    const port = await listen(server, 0);
    return new Listener(server, port);
  }

  /** Stops listening and cuts every open connection: clients get ECONNREFUSED until resume(). */
  async refuse(): Promise<void> {
    await this.close();
    // Let in-process clients (undici's keep-alive pool) notice the closed sockets first.
    await new Promise((r) => setTimeout(r, 20));
  }

  async resume(): Promise<void> {
    if (!this.server.listening) await listen(this.server, this.port);
  }

  async close(): Promise<void> {
    const closed = this.server.listening ? new Promise<void>((resolve) => this.server.close(() => resolve())) : Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
