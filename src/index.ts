// The entry point of the bundle: everything testable lives in main.ts.
import { run } from './main.js'

await run()
