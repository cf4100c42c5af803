import { describe, expect, it } from 'vitest'
import { createLimiter, mapConcurrently } from '../../src/cloudflare/limits.js'

/** A task whose end the test decides. */
function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}

const flush = () => new Promise((done) => setImmediate(done))

describe('createLimiter', () => {
  it('runs exactly `limit` tasks at once, then one more per finished task, in FIFO order', async () => {
    const run = createLimiter(2)
    const gates = [0, 1, 2, 3, 4].map(() => deferred())
    const started: number[] = []
    const all = gates.map((gate, index) =>
      run(async () => {
        started.push(index)
        await gate.promise
        return index
      })
    )
    await flush()
    expect(started).toEqual([0, 1])

    gates[1]!.resolve()
    await flush()
    expect(started).toEqual([0, 1, 2])

    // A newcomer arriving while a slot is being handed over waits its turn behind the queue.
    gates[0]!.resolve()
    const late = run(async () => {
      started.push(5)
    })
    await flush()
    expect(started).toEqual([0, 1, 2, 3])

    for (const gate of gates) gate.resolve()
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4])
    await late
    expect(started).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('frees the slot when a task throws', async () => {
    const run = createLimiter(1)
    await expect(run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await run(async () => 'next')).toBe('next')
  })
})

describe('mapConcurrently', () => {
  it('keeps input order and never has more than `limit` callbacks in flight', async () => {
    let inFlight = 0
    let peak = 0
    const results = await mapConcurrently([5, 1, 4, 2, 3], 3, async (value) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      for (let tick = 0; tick < value; tick++) await flush()
      inFlight--
      return value * 10
    })
    expect(results).toEqual([50, 10, 40, 20, 30])
    expect(peak).toBe(3)
  })
})
