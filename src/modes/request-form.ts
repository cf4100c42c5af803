/** request-form: writes the request issue form from the access file, so its list is exactly what accepts requests. */
import { REQUEST_FORM_PATH, renderRequestIssueForm } from '../request/issue-form.js'
import { loadDesiredState } from './common.js'
import type { ModeDeps, ModeResult } from './ports.js'

export async function runRequestForm(deps: ModeDeps): Promise<ModeResult> {
  const { inputs, io } = deps
  const loaded = loadDesiredState(await deps.readWorkspaceFiles(inputs.config), inputs, io)
  if (!loaded.ok)
    return { outputs: {}, failure: 'The access file is invalid; no form was written.' }
  const form = renderRequestIssueForm(loaded.desired)
  if (form === undefined) {
    return {
      outputs: {},
      failure:
        'No group or role accepts requests: add a requests: section (with requesters) to one before generating the form.'
    }
  }
  await deps.writeWorkspaceFile(REQUEST_FORM_PATH, form)
  io.info(`Wrote ${REQUEST_FORM_PATH}; commit it so the request form appears under New issue.`)
  return { outputs: {} }
}
