/**
 * One operation at a time per session within this process: heartbeats, captures and answers of a
 * session queue behind each other instead of racing into version conflicts. (Across processes the
 * repository's version check decides.)
 */
export class SessionLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the key once nothing waits behind this task, so the map does not grow with sessions.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
