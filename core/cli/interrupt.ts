// A command's work that must tidy up when the user presses Ctrl-C (SIGINT) or the system stops it
// (SIGTERM): the work is aborted through its signal, its own `finally` runs (a half-written file is
// removed), then the process dies of that same signal, as the shell expects (exit status 130 or 143).

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

export async function interruptible<T> (work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  let received: NodeJS.Signals | undefined
  const stop = (signal: NodeJS.Signals): void => {
    received ??= signal
    controller.abort(new Error(`stopped by ${signal}`))
  }
  for (const signal of STOP_SIGNALS) process.on(signal, stop)
  try {
    return await work(controller.signal)
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, stop)
    // Our handlers are gone: the signal now does what it does by default, after the tidying above.
    if (received !== undefined) process.kill(process.pid, received)
  }
}
