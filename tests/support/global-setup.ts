import net from 'node:net';

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

/** The tests use the machine's real PostgreSQL and NATS; say plainly when one is missing. */
export default async function globalSetup(): Promise<void> {
  const pg = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432) };
  const [natsHost, natsPort] = (process.env.NATS_URL ?? '127.0.0.1:4222').replace(/^nats:\/\//, '').split(':');
  const missing: string[] = [];
  if (!(await reachable(pg.host, pg.port))) missing.push(`PostgreSQL at ${pg.host}:${pg.port} (start it, e.g. pg_ctlcluster 15 main start, or set PGHOST/PGPORT)`);
  if (!(await reachable(natsHost, Number(natsPort ?? 4222)))) missing.push(`NATS with JetStream at ${natsHost}:${natsPort} (start nats-server -js, or set NATS_URL)`);
  if (missing.length) throw new Error(`The tests need:\n  ${missing.join('\n  ')}`);
}
