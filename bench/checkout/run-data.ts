import { PlatformConfig, SubgraphName, connectNats, databaseName, deleteStream, dropDatabase } from '@shop/platform';

/** Drops the run's databases and deletes its stream: a benchmark leaves nothing behind. */
export async function removeRunData(config: PlatformConfig, names: readonly SubgraphName[], log: (line: string) => void): Promise<void> {
  for (const name of names) await dropDatabase(config, databaseName(config, name)).catch((e) => log(`  could not drop ${name}: ${e.message}`));
  const nc = await connectNats(config, 'bench-cleanup');
  await deleteStream(nc, config.eventPrefix);
  await nc.drain();
  log(`  cleaned up: processes stopped, databases ${config.databasePrefix}* and stream of ${config.eventPrefix} removed`);
}
