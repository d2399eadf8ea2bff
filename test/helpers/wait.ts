// Polling for tests that watch other processes: true as soon as `what` holds, else its value after `ms`.
export async function waitFor(what: () => boolean, ms: number, everyMs = 200): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return what();
}
