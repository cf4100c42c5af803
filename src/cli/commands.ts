/**
 * The local CLI, for an administrator's terminal: `plan` previews a change before a pull request, `apply` makes it
 * (asks for --yes), `review` prints the access review, `export` writes an access file from the live account. It is not a
 * second orchestrator: it builds the same ports the Action builds (terminal-io.ts) and runs the modes' own steps on them
 * (planWorkspace, the expire filter, the applications read), so the account id, the guards and the overrides are
 * decided once. What is its own: the flags, the --yes confirmation and the text it prints.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve as resolvePath } from 'node:path'
import { parseArgs } from 'node:util'
import { parseRemovalLimit } from '../config/index.js'
import {
  applyPlan,
  type CloudflareClient,
  type CloudflareCredentials
} from '../cloudflare/index.js'
import { isPlanBlocked } from '../diff/index.js'
import type { Plan, PlanReportInput } from '../model/index.js'
import { createGitHubPort, createOctokit, sameLogin } from '../github/index.js'
import {
  renderApplyText,
  renderEvidenceReport,
  renderPlanText,
  renderReviewIssue,
  reviewMarker
} from '../report/index.js'
import {
  buildAccessReview,
  buildEvidenceRecord,
  evidenceCsv,
  readDecisionLedger,
  reviewDue,
  reviewPeriod,
  type DecisionRecord,
  type ReviewPeriodKind
} from '../review/index.js'
import { errorMessage } from '../action/error-message.js'
import {
  checkAccountId,
  checkApiUrl,
  DEFAULT_API_URL,
  readAccountId,
  readInputs,
  type ActionInputs
} from '../action/inputs.js'
import { planOptions, planWorkspace, readApplicationsOfGroupChanges } from '../modes/common.js'
import { expiredOnly } from '../modes/expire.js'
import { runExport } from '../modes/export.js'
import { runPlan } from '../modes/plan.js'
import { markdownToText } from './markdown-text.js'
import { ACCOUNT_ID_FLAG, terminalDeps, terminalIO } from './terminal-io.js'
import {
  createColors,
  createProgress,
  type Colors,
  type Progress,
  type TerminalStreams
} from './terminal.js'

export interface CliIO {
  out(text: string): void
  err(text: string): void
  /** Colour on stdout and a progress line on stderr only for a terminal (see terminal.ts). */
  stdoutIsTTY?: boolean
  stderrIsTTY?: boolean
  /** stderr exactly as given (err ends every message with a newline; a progress line must not). */
  errRaw?(text: string): void
  env: Record<string, string | undefined>
  cwd: string
  now(): Date
}

export const USAGE = `Usage: cloudflare-access <command> [options]

Commands:
  plan     show what applying the access file would change (read-only)
  apply    make Cloudflare match the access file (asks for --yes)
  review   print an access review of the live account
  export   write a version 1 access file from the live account

Options:
  --config <path|glob>     access file(s) (default cloudflare-access.yaml)
  --account-id <id>        Cloudflare account id (default: account_id in the file)
  --api-url <url>          Cloudflare API base URL (default ${DEFAULT_API_URL})
  --out <path>             export: file to write (default: print to stdout)
  --json                   plan: print the plan as JSON
  --markdown               review: print the review issue's Markdown instead of text
  --stale-after-days <n>   review: days without a login that make access stale (overrides the file; default 90)
  --yes                    apply: really apply
  --dry-run                apply: compute everything, write nothing
  --expired-only           plan, apply: only the removals of expired grants (the expire mode)
  --allow-mass-removal     override the max-removals guard
  --allow-lockout          override the last-super-admin and self-removal guards
  --max-removals <n|n%>    removal limit (overrides the file)
  --expiry-warning-days <n>  flag grants expiring within n days (default 14)
  --evidence <dir>         review: write the evidence record (record.json, record.csv, report.md) to dir
  --review-period <kind>   review: month, quarter or week (default month; --period for short)
  --repo <owner/name>      review --evidence: read the decisions from that repository's review issue
                           (needs GITHUB_TOKEN; GITHUB_API_URL for GitHub Enterprise Server)
  --review-label <name>    review --evidence: label of review issues (default access-review; --label for short)
  --writer <login>         review --evidence: who the Action writes as (default github-actions[bot])

Credentials come from the environment: CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL.
`

/** Runs one CLI command and returns the process exit code: 0 ok, 1 failed or blocked, 2 usage error. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', default: 'cloudflare-access.yaml' },
        'account-id': { type: 'string' },
        'api-url': { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        markdown: { type: 'boolean', default: false },
        'stale-after-days': { type: 'string' },
        yes: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        'expired-only': { type: 'boolean', default: false },
        'allow-mass-removal': { type: 'boolean', default: false },
        'allow-lockout': { type: 'boolean', default: false },
        'max-removals': { type: 'string' },
        'expiry-warning-days': { type: 'string', default: '14' },
        evidence: { type: 'string' },
        // The Action's input names, and the shorter names the CLI had first.
        'review-period': { type: 'string' },
        period: { type: 'string' },
        repo: { type: 'string' },
        'review-label': { type: 'string' },
        label: { type: 'string' },
        writer: { type: 'string', default: 'github-actions[bot]' },
        help: { type: 'boolean', short: 'h', default: false }
      }
    })
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  const command = positionals[0]
  if (values.help || !command) {
    io.out(USAGE)
    return values.help ? 0 : 2
  }
  if (!['plan', 'apply', 'review', 'export'].includes(command)) {
    io.err(`Unknown command "${command}".\n\n${USAGE}`)
    return 2
  }

  const streams: TerminalStreams = {
    stdoutIsTTY: io.stdoutIsTTY ?? false,
    stderrIsTTY: io.stderrIsTTY ?? false,
    env: io.env
  }
  const colors = createColors(streams)
  const progress = createProgress(streams, io.errRaw ?? ((text) => io.err(text)))
  try {
    const credentials = credentialsFromEnv(io.env)
    const apiUrl = values['api-url'] ?? io.env.CLOUDFLARE_API_URL ?? DEFAULT_API_URL
    // The Action's own checks of these inputs: a plain-http URL to another machine would send the token unencrypted.
    const apiUrlProblem = checkApiUrl(apiUrl, '--api-url')
    if (apiUrlProblem) throw new UsageError(apiUrlProblem)
    const accountId = readAccountId(values['account-id'])
    const accountIdProblem = checkAccountId(accountId, ACCOUNT_ID_FLAG)
    if (accountIdProblem) throw new UsageError(accountIdProblem)

    const expiryWarningDays = Number(values['expiry-warning-days'])
    if (!Number.isInteger(expiryWarningDays) || expiryWarningDays < 0) {
      throw new UsageError('--expiry-warning-days must be a whole number.')
    }
    const period = (values['review-period'] ?? values.period ?? 'month') as ReviewPeriodKind
    if (command === 'review' && !['month', 'quarter', 'week'].includes(period)) {
      throw new UsageError('--review-period must be month, quarter or week.')
    }
    const staleAfterDays = values['stale-after-days']
      ? wholeNumber('--stale-after-days', values['stale-after-days'])
      : undefined
    const inputs: ActionInputs = {
      ...readInputs(() => ''),
      mode: command as 'plan' | 'apply' | 'review' | 'export',
      config: values.config,
      accountId,
      credentials,
      apiUrl,
      maxRemovals: values['max-removals'] ? parseRemovalLimit(values['max-removals']) : undefined,
      allowMassRemoval: values['allow-mass-removal'],
      allowLockout: values['allow-lockout'],
      dryRun: values['dry-run'],
      expiryWarningDays,
      staleAfterDays,
      comment: false,
      reviewPeriod: period,
      reviewLabel: values['review-label'] ?? values.label ?? 'access-review'
    }
    const deps = terminalDeps({
      inputs,
      cwd: io.cwd,
      now: io.now,
      io: terminalIO((text) => io.err(text), colors),
      colors,
      progress,
      err: (text) => io.err(text),
      writeWorkspaceFile: async (path, text) => {
        if (!values.out) return io.out(text)
        await writeFile(resolvePath(io.cwd, path), text)
        io.err(`Wrote ${values.out}.`)
      }
    })

    if (command === 'export') {
      if (!accountId) throw new UsageError('export needs --account-id.')
      // The export mode itself; its file goes to --out, or to stdout.
      const exported = await runExport({
        ...deps,
        inputs: { ...inputs, config: values.out ?? 'cloudflare-access.yaml' }
      })
      if (exported.failure) io.err(exported.failure)
      return exported.failure ? 1 : 0
    }

    if (command === 'plan' && !values['expired-only']) {
      // The plan mode itself; the CLI prints what its comment is rendered from as text (or the plan as JSON).
      let report: PlanReportInput | undefined
      await runPlan({ ...deps, io: { ...deps.io, showPlanReport: (shown) => (report = shown) } })
      if (!report?.plan) {
        const errors = report?.configErrors.length ?? 0
        io.err(`\n${errors} error(s) in the access file; nothing was read or changed.`)
        return 1
      }
      if (values.json) io.out(`${JSON.stringify(report.plan, null, 2)}\n`)
      else io.out(renderPlanText(report.plan, [], colors, report.groupApplications))
      return isPlanBlocked(report.plan) ? 1 : 0
    }

    // The modes' own steps: the file read and checked (the account id against --account-id), the account read with
    // the credentials checked alongside, the plan with the guards and overrides the flags set.
    const live = await planWorkspace(deps)
    if (!live.ok) {
      io.err(`\n${live.errors.length} error(s) in the access file; nothing was read or changed.`)
      return 1
    }
    const { desired, snapshot } = live
    const options = planOptions(inputs, deps.now())
    let plan = live.plan
    if (values['expired-only']) {
      // The expire mode's filter: the plan narrowed to expired grants, its guards run again on what is left.
      const narrowed = expiredOnly(live, options)
      if (!narrowed.ok) {
        io.err(narrowed.refusal)
        return 1
      }
      plan = narrowed.plan
    }

    if (command === 'plan') {
      if (values.json) io.out(`${JSON.stringify(plan, null, 2)}\n`)
      else {
        const opened = await readApplicationsOfGroupChanges({ ...live, plan })
        io.out(renderPlanText(plan, [], colors, opened))
      }
      return isPlanBlocked(plan) ? 1 : 0
    }
    if (command === 'review') {
      const review = buildAccessReview(desired, snapshot, live.plan, {
        now: options.now,
        staleAfterDays: staleAfterDays ?? desired.settings.staleAfterDays ?? 90,
        expiryWarningDays
      })
      const reviewed = reviewPeriod(options.now, period)
      if (values.evidence) {
        const decisions = values.repo
          ? await readDecisions(values.repo, inputs.reviewLabel, values.writer, reviewed.key, io)
          : new Map<string, DecisionRecord>()
        if (!values.repo) io.err('No --repo: the record lists every grant as undecided.')
        const record = buildEvidenceRecord({
          review,
          snapshot,
          period: reviewed,
          due: reviewDue(desired.settings.review, reviewed, options.now),
          decisions,
          readAt: options.now.toISOString()
        })
        await mkdir(values.evidence, { recursive: true })
        await writeFile(
          join(values.evidence, 'record.json'),
          `${JSON.stringify(record, null, 2)}\n`
        )
        await writeFile(join(values.evidence, 'record.csv'), evidenceCsv(record))
        await writeFile(join(values.evidence, 'report.md'), renderEvidenceReport(record))
        io.err(
          `Wrote record.json, record.csv and report.md to ${values.evidence}: ${record.grants.length} grants, ${record.totals.kept} kept, ${record.totals.revoked} revoked, ${record.totals.undecided} undecided, ${record.totals.exceptions} exceptions.`
        )
        return 0
      }
      const issue = renderReviewIssue(review, { period: reviewed })
      const markdown = `## ${issue.title}\n\n${issue.body}\n`
      // The issue body is GitHub Markdown; a terminal gets it as text unless --markdown asks for the body itself.
      io.out(values.markdown ? markdown : markdownToText(markdown, colors))
      return 0
    }
    return await applyCommand(live.client, plan, { yes: values.yes, dryRun: inputs.dryRun }, io, {
      colors,
      progress
    })
  } catch (error) {
    io.err(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : errorMessage(error))
    return error instanceof UsageError ? 2 : 1
  }
}

async function applyCommand(
  client: CloudflareClient,
  plan: Plan,
  { yes, dryRun }: { yes: boolean; dryRun: boolean },
  io: CliIO,
  terminal: { colors: Colors; progress: Progress }
): Promise<number> {
  io.out(renderPlanText(plan, [], terminal.colors))
  if (isPlanBlocked(plan)) {
    io.err('The plan is blocked; nothing was changed.')
    return 1
  }
  if (plan.changes.length === 0) return 0
  if (!yes && !dryRun) {
    io.err(
      'Nothing was changed. Re-run with --yes to apply these changes (or --dry-run to rehearse).'
    )
    return 1
  }
  const before = client.requestCount
  const result = await terminal.progress.track(
    `Applying ${plan.changes.length} ${plan.changes.length === 1 ? 'change' : 'changes'}`,
    () => client.requestCount - before,
    applyPlan(client, plan, { dryRun })
  )
  io.out(renderApplyText(result, terminal.colors))
  return result.failed > 0 ? 1 : 0
}

/** The decisions recorded on the period's review issue, read as the Action reads them. */
async function readDecisions(
  repoName: string,
  label: string,
  writer: string,
  periodKey: string,
  io: CliIO
): Promise<Map<string, DecisionRecord>> {
  const [owner, repo, ...rest] = repoName.split('/')
  if (!owner || !repo || rest.length > 0) throw new UsageError('--repo must be owner/name.')
  const token = io.env.GITHUB_TOKEN
  if (!token) throw new UsageError('--repo needs GITHUB_TOKEN in the environment.')
  // Only the Action's identity writes the issue and its records, whoever runs the CLI: those are the ones to trust.
  const github = createGitHubPort(
    createOctokit(token, { baseUrl: io.env.GITHUB_API_URL }),
    { owner, repo },
    { login: writer }
  )
  const issue = await github.findIssueByMarker(label, reviewMarker(periodKey))
  if (!issue) {
    throw new UsageError(`No ${label} issue for ${periodKey} written by ${writer} in ${repoName}.`)
  }
  const comments = await github.listIssueComments(issue.number)
  return readDecisionLedger(comments, (login) => sameLogin(login, writer), periodKey).decisions
}

function credentialsFromEnv(env: CliIO['env']): CloudflareCredentials {
  if (env.CLOUDFLARE_API_TOKEN) return { kind: 'token', token: env.CLOUDFLARE_API_TOKEN }
  if (env.CLOUDFLARE_API_KEY && env.CLOUDFLARE_EMAIL) {
    return { kind: 'key', key: env.CLOUDFLARE_API_KEY, email: env.CLOUDFLARE_EMAIL }
  }
  throw new UsageError(
    'No Cloudflare credentials: set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL.'
  )
}

class UsageError extends Error {}

function wholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number.`)
  return Number(value)
}
