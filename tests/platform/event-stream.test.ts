import { mapStream, pushable } from '@shop/platform';

/** The iterators under every subscription must end the moment the consumer leaves. */
describe('event streams', () => {
  it('settles a pending next() as done when the consumer returns, and closes once', async () => {
    let closed = 0;
    const stream = pushable<number>(() => { closed += 1; });
    const pending = stream.next();
    await stream.return!();
    expect(await pending).toEqual({ done: true, value: undefined });
    stream.end();
    expect(closed).toBe(1);
  });

  it('keeps only the newest values for a consumer that falls behind', async () => {
    const stream = pushable<number>(undefined, 2);
    [1, 2, 3].forEach((n) => stream.push(n));
    stream.end();
    const seen: number[] = [];
    for await (const n of stream) seen.push(n);
    expect(seen).toEqual([2, 3]);
  });

  it('delivers a producer error after the buffered values, once', async () => {
    const stream = pushable<number>();
    stream.push(1);
    stream.end(new Error('gone'));
    expect(await stream.next()).toEqual({ done: false, value: 1 });
    await expect(stream.next()).rejects.toThrow('gone');
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('ends a mapped stream at once while a mapping is in flight, returning the source', async () => {
    const source = pushable<number>();
    let ended = 0;
    const mapped = mapStream(source, () => new Promise<string>(() => undefined), () => { ended += 1; });
    source.push(1);
    const pending = mapped.next();
    await mapped.return!();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(ended).toBe(1);
    expect(source.ended).toBe(true);
  });

  it('maps values in order and ends with the source', async () => {
    const source = pushable<number>();
    const mapped = mapStream(source, async (n) => n * 10);
    [1, 2].forEach((n) => source.push(n));
    source.end();
    const seen: number[] = [];
    for await (const n of mapped) seen.push(n);
    expect(seen).toEqual([10, 20]);
  });
});
