/** The README is the product's front door: its workflow examples and tables must match action.yml. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { readInputs } from '../../src/action/inputs.js'

const ROOT = resolve(import.meta.dirname, '../..')
const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8')
const action = parse(readFileSync(resolve(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}

/** First-column names of the Markdown table under a `## heading`. */
function tableNames(heading: string): string[] {
  const section = readme.split(`\n## ${heading}\n`)[1]!.split('\n## ')[0]!
  return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1]!)
}

describe('README', () => {
  it('lists exactly the inputs and outputs action.yml declares, in the same order', () => {
    expect(tableNames('Inputs')).toEqual(Object.keys(action.inputs))
    expect(tableNames('Outputs')).toEqual(Object.keys(action.outputs))
  })

  it('workflow examples parse and pass only declared inputs', () => {
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!)
    const steps = blocks
      .map(
        (block) =>
          parse(block) as { jobs?: Record<string, { steps: { uses?: string; with?: object }[] }> }
      )
      .flatMap((workflow) => Object.values(workflow?.jobs ?? {}).flatMap((job) => job.steps))
      .filter((step) => step.uses?.includes('cloudflare-access-as-code'))
    expect(steps).toHaveLength(6)
    for (const step of steps) {
      for (const input of Object.keys(step.with ?? {})) {
        expect(Object.keys(action.inputs)).toContain(input)
      }
    }
  })

  it('each workflow shown under a `.github/workflows/<file>` heading is examples/workflows/<file>, and back', () => {
    const shown = new Map(
      [...readme.matchAll(/^#+ `\.github\/workflows\/([\w.-]+)`\n\n```yaml\n([\s\S]*?)```/gm)].map(
        (match) => [match[1]!, match[2]!]
      )
    )
    const files = readdirSync(resolve(ROOT, 'examples/workflows')).sort()
    expect([...shown.keys()].sort(), 'README workflow sections vs examples/workflows/').toEqual(
      files
    )
    for (const file of files) {
      const text = readFileSync(resolve(ROOT, 'examples/workflows', file), 'utf8')
      expect(shown.get(file), `README's copy of examples/workflows/${file}`).toBe(text)
    }
  })

  it('the plan workflow runs on every pull request: no paths filter that would leave a required check pending', () => {
    const plan = parse(
      readFileSync(resolve(ROOT, 'examples/workflows/access-plan.yml'), 'utf8')
    ) as {
      on: Record<string, Record<string, unknown> | null>
    }
    expect(Object.keys(plan.on)).toContain('pull_request')
    for (const trigger of Object.values(plan.on)) {
      expect(Object.keys(trigger ?? {})).not.toContain('paths')
      expect(Object.keys(trigger ?? {})).not.toContain('paths-ignore')
    }
  })

  it('points only at files that are in the repository', () => {
    for (const doc of ['README.md', 'CONTRIBUTING.md', 'src/emulator/README.md']) {
      const text = readFileSync(resolve(ROOT, doc), 'utf8')
      const targets = [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
        .map((match) => match[1]!)
        .filter((target) => !/^[a-z]+:/.test(target))
      for (const target of targets) {
        expect(existsSync(resolve(ROOT, doc, '..', target)), `${doc} links to ${target}`).toBe(true)
      }
    }
  })

  it('action.yml defaults are the defaults the code uses when an input is absent', () => {
    const absent = readInputs(() => '')
    const declared = readInputs((name) => {
      const value = action.inputs[name]?.default ?? ''
      // github-token's default is an expression the runner expands; the code has no token of its own.
      return value.startsWith('${{') ? '' : value
    })
    expect(declared).toEqual(absent)
  })
})
