// Fails when the committed dist/ differs from a fresh bundle (git status also catches new, untracked files).
import { execFileSync } from 'node:child_process'

const status = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { encoding: 'utf8' })
if (status.trim() !== '') {
  console.error(
    'dist/ is not the bundle of the current sources. Run `npm run bundle` and commit dist/.\n' +
      status
  )
  process.exit(1)
}
console.log('dist/ matches a fresh bundle.')
