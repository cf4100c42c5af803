/**
 * What the CLI's terminal can show: colour on stdout when it is a terminal (never when piped, none with NO_COLOR,
 * always with FORCE_COLOR), and a progress line on stderr for anything that can take a while, only when stderr is
 * a terminal, so piped and redirected output stays exactly the report.
 */
import picocolors from 'picocolors'

export type Colors = ReturnType<typeof picocolors.createColors>

export interface TerminalStreams {
  stdoutIsTTY: boolean
  stderrIsTTY: boolean
  env: Record<string, string | undefined>
}

/** FORCE_COLOR wins (except FORCE_COLOR=0), then NO_COLOR (any value), then whether stdout is a terminal. */
export function colorEnabled(streams: TerminalStreams): boolean {
  const force = streams.env.FORCE_COLOR
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false'
  if (streams.env.NO_COLOR !== undefined && streams.env.NO_COLOR !== '') return false
  return streams.stdoutIsTTY
}

export function createColors(streams: TerminalStreams): Colors {
  return picocolors.createColors(colorEnabled(streams))
}

export interface Progress {
  /** Shows `label` with a live count from `count()` until the work ends; returns the work's result. */
  track<T>(label: string, count: () => number, work: Promise<T>): Promise<T>
}

/** A progress line on stderr, redrawn ten times a second; nothing at all when stderr is not a terminal. */
export function createProgress(
  streams: TerminalStreams,
  writeErr: (text: string) => void,
  now: () => number = Date.now
): Progress {
  return {
    async track(label, count, work) {
      if (!streams.stderrIsTTY) return work
      const started = now()
      const draw = (): void => {
        const seconds = ((now() - started) / 1000).toFixed(1)
        writeErr(`\r\x1b[2K${label}… ${count()} requests, ${seconds} s`)
      }
      draw()
      const timer = setInterval(draw, 100)
      try {
        return await work
      } finally {
        clearInterval(timer)
        draw()
        writeErr('\n')
      }
    }
  }
}
