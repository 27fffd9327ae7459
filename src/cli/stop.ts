/** How the long-running commands (`dev`, `preview`) end: when the user presses Ctrl-C, or the process is told to stop. */
export function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
