// Writes dist/licenses.txt: the license of every package bundled into any file of dist/, read from the source maps.
// ncc's --license writes one list per chunk to the same file, so with a lazily loaded chunk (@actions/artifact) the
// last chunk's list replaced the others. Same format as ncc's (name, license type, license text; sorted by name).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const DIST = join(ROOT, 'dist')
const LICENSE_FILE = /^(licen[cs]e|copying)(\.|-|$)/i

/** Each bundled package's directory (nested node_modules kept apart), by the sources of every map in dist/. */
function bundledPackages() {
  const dirs = new Set()
  for (const file of readdirSync(DIST).filter((name) => name.endsWith('.js.map'))) {
    const { sources } = JSON.parse(readFileSync(join(DIST, file), 'utf8'))
    for (const source of sources) {
      const at = source.lastIndexOf('node_modules/')
      if (at < 0) continue
      const parts = source.slice(at + 'node_modules/'.length).split('/')
      const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
      dirs.add(join(ROOT, source.slice(source.indexOf('node_modules/'), at), 'node_modules', name))
    }
  }
  return [...dirs]
}

function licenseType(manifest) {
  if (typeof manifest.license === 'string') return manifest.license
  if (manifest.license?.type) return manifest.license.type
  if (Array.isArray(manifest.licenses)) return manifest.licenses.map((l) => l.type).join(' OR ')
  return undefined
}

const entries = new Map()
for (const dir of bundledPackages()) {
  if (!existsSync(join(dir, 'package.json'))) {
    throw new Error(`write-licenses: ${dir} is in a source map but has no package.json`)
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  if (entries.has(manifest.name)) continue
  const textFile = readdirSync(dir)
    .filter((name) => LICENSE_FILE.test(name))
    .sort()[0]
  const text = textFile ? readFileSync(join(dir, textFile), 'utf8') : undefined
  const type = licenseType(manifest)
  entries.set(manifest.name, [manifest.name, ...(type ? [type] : []), ...(text ? [text] : [])])
}
const names = [...entries.keys()].sort()
writeFileSync(
  join(DIST, 'licenses.txt'),
  names.map((name) => entries.get(name).join('\n')).join('\n\n')
)
console.log(`dist/licenses.txt: ${names.length} packages`)
