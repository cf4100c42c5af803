// Preloaded into the bundle's Node (--import) when a test fixes the clock: `new Date()` and `Date.now()` start at
// E2E_NOW and run on from there, so due dates and reminder days are the test's, not the calendar's.
const RealDate = Date
const offset = RealDate.parse(process.env.E2E_NOW) - RealDate.now()
if (Number.isNaN(offset)) throw new Error(`E2E_NOW is not a date: ${process.env.E2E_NOW}`)
class FixedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offset)
    else super(...args)
  }
  static now() {
    return RealDate.now() + offset
  }
}
globalThis.Date = FixedDate
