import cluster from 'node:cluster';

/**
 * Runs `start` in `workers` processes sharing one listening port
 * (node:cluster: the primary accepts connections and hands them round
 * robin to the workers), or in this process when `workers` is 1. A worker
 * that dies is replaced; SIGTERM/SIGINT on the primary stop every worker.
 * Resolves in the primary once every worker listens.
 */
export async function serveWithWorkers(workers: number, start: () => Promise<void>): Promise<void> {
  if (workers <= 1 || !cluster.isPrimary) return start();
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on('exit', () => { if (!stopping) fork(); });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    cluster.once('exit', function waitAll() {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      else cluster.once('exit', waitAll);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await new Promise<void>((resolve) => {
    let listening = 0;
    cluster.on('listening', () => { if (++listening === workers) resolve(); });
    for (let i = 0; i < workers; i++) fork();
  });
}
