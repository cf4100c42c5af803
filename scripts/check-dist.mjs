// Fails when the committed dist/ differs from a fresh bundle (git status also catches new, untracked files).
import { execFileSync } from 'node:child_process'

const status = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { encoding: 'utf8' })
if (status.trim() !== '') {
  console.error(
    'dist/ is not the bundle of the current sources (this check has just rebuilt it). Commit it:\n' +
      '  git add dist && git commit -m "Rebuild dist"\n' +
      '(`npm run bundle` rebuilds it by hand.) Files that differ:\n' +
      status
  )
  process.exit(1)
}
console.log('dist/ matches a fresh bundle.')
