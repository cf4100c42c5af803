import { describe, expect, it } from 'vitest'
import { mapGroupsToApplications } from '../../src/diff/applications.js'
import { planChanges } from '../../src/diff/index.js'
import { applicationsNote, renderGroupApplications } from '../../src/report/group-applications.js'
import {
  desired,
  emailRule,
  grant,
  groupSpec,
  liveGroup,
  options,
  snapshot
} from '../fixtures/diff/builders.js'

const contractors = liveGroup('g-con', 'Contractors', [emailRule('dave@example.com')])
const apps = [
  {
    id: 'app-1',
    name: 'grafana.example.com',
    policies: [
      {
        id: 'p-1',
        name: 'contractors',
        decision: 'allow',
        include: [{ group: { id: 'g-con' } }],
        exclude: [],
        require: []
      }
    ]
  },
  {
    id: 'app-2',
    name: 'ssh-bastion',
    policies: [
      {
        id: 'p-2',
        name: 'contractors',
        decision: 'allow',
        include: [{ group: { id: 'g-con' } }],
        exclude: [],
        require: []
      }
    ]
  },
  {
    id: 'app-3',
    name: 'billing.example.com',
    policies: [
      {
        id: 'p-3',
        name: 'staff only',
        decision: 'allow',
        include: [{ everyone: {} }],
        exclude: [{ group: { id: 'g-con' } }],
        require: []
      }
    ]
  }
]

describe('renderGroupApplications', () => {
  const plan = planChanges(
    desired({ groups: [groupSpec('Contractors', [grant('carol@example.com')])] }),
    snapshot({ groups: [contractors] }),
    options()
  )
  const uses = Object.fromEntries(mapGroupsToApplications(apps, [contractors]))

  it('says for each group change which applications it opens, closes or takes away', () => {
    expect(renderGroupApplications(plan, { status: 'read', uses })).toBe(
      [
        '#### What these group changes open',
        '',
        '- removes dave@example.com from Contractors: closes grafana.example.com, ssh-bastion; gives back billing.example.com',
        '- adds carol@example.com to Contractors: opens grafana.example.com, ssh-bastion; takes away billing.example.com'
      ].join('\n')
    )
    expect(applicationsNote({ status: 'read', uses })).toBeUndefined()
  })

  it('without the apps permission shows no section and one note naming the permission', () => {
    const forbidden = { status: 'forbidden' as const, permission: 'Access: Apps and Policies Read' }
    expect(renderGroupApplications(plan, forbidden)).toBeUndefined()
    expect(applicationsNote(forbidden)).toBe(
      'The token cannot read Access applications, so this plan does not say what each group opens; grant "Access: Apps and Policies Read" to add it.'
    )
  })
})
