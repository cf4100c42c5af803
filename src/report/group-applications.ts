/** What a changed group opens or closes: one line per group change, for the plan comment and the CLI plan. */
import type { GroupApplicationUse, GroupApplications, Plan } from '../model/index.js'
import { escapeMarkdown } from './markdown.js'
import { sanitizeExternalText } from './untrusted-text.js'

function describeUses(uses: readonly GroupApplicationUse[], adding: boolean): string {
  const opened = new Set<string>()
  const required = new Set<string>()
  const excluded = new Set<string>()
  for (const use of uses) {
    // Application names come from Cloudflare as typed in the dashboard.
    const name = sanitizeExternalText(use.application.name, 120)
    if (use.role === 'include' && use.policy.decision === 'deny') excluded.add(name)
    else if (use.role === 'include') opened.add(name)
    else if (use.role === 'require') required.add(name)
    else excluded.add(name)
  }
  const list = (names: Set<string>) => [...names].sort().join(', ')
  const parts: string[] = []
  if (opened.size > 0) parts.push(`${adding ? 'opens' : 'closes'} ${list(opened)}`)
  if (required.size > 0)
    parts.push(
      `${adding ? 'meets the requirement of' : 'no longer meets the requirement of'} ${list(required)}`
    )
  if (excluded.size > 0) parts.push(`${adding ? 'takes away' : 'gives back'} ${list(excluded)}`)
  return parts.length > 0 ? parts.join('; ') : 'no application uses this group'
}

/** One sentence per group change, like "adds carol@example.com to Contractors: opens grafana.example.com, ssh-bastion". */
export function groupApplicationLines(plan: Plan, apps: GroupApplications): string[] {
  if (apps.status === 'forbidden') return []
  return plan.changes
    .filter((c) => c.target.kind === 'group')
    .map((change) => {
      const adding = change.action === 'add'
      const verb = adding ? `adds ${change.email} to` : `removes ${change.email} from`
      const uses = apps.uses[change.target.id] ?? []
      return `${verb} ${change.target.name}: ${describeUses(uses, adding)}`
    })
}

/** The plan comment's section: those sentences as a list (at most maxLines), or undefined when no group changes. */
export function renderGroupApplications(
  plan: Plan,
  apps: GroupApplications,
  maxLines = Number.POSITIVE_INFINITY
): string | undefined {
  const all = groupApplicationLines(plan, apps)
  if (all.length === 0) return undefined
  const lines = all.slice(0, maxLines).map((line) => `- ${escapeMarkdown(line)}`)
  if (all.length > lines.length) lines.push(`- … ${all.length - lines.length} more not shown.`)
  return ['#### What these group changes open', '', ...lines].join('\n')
}

/** The one note for a run whose token cannot read applications. */
export function applicationsNote(apps: GroupApplications): string | undefined {
  return apps.status === 'forbidden'
    ? `The token cannot read Access applications, so this plan does not say what each group opens; grant "${apps.permission}" to add it.`
    : undefined
}
