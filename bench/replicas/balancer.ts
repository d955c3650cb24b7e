import net from 'node:net';

/** One replica behind the balancer, and how many connections it was given. */
export interface Backend { label: string; port: number; connections: number }

export interface Balancer {
  port: number;
  backends: Backend[];
  close(): Promise<void>;
}

/**
 * A round-robin TCP balancer in front of a subgraph's replicas, as a
 * Kubernetes Service (kube-proxy) puts one address in front of a
 * Deployment's pods: every new connection goes to the next replica, and
 * one that refuses the connection (stopped, restarting) is skipped.
 */
export async function startBalancer(port: number, backends: Backend[]): Promise<Balancer> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const connect = (client: net.Socket, tries: number) => {
    if (tries >= backends.length) { client.destroy(); return; }
    const backend = backends[next++ % backends.length]!;
    const upstream = net.connect(backend.port, '127.0.0.1');
    let connected = false;
    sockets.add(upstream);
    upstream.once('close', () => { sockets.delete(upstream); if (connected) client.destroy(); });
    upstream.on('error', () => {
      // A replica that is down refuses the connection: the next one takes it, as a Service routes around an unready pod.
      if (!connected) connect(client, tries + 1);
    });
    upstream.once('connect', () => {
      connected = true;
      backend.connections += 1;
      client.on('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    connect(client, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    backends,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
