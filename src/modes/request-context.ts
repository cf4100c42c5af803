/** Whether a request (or an extension) may open its pull request here. Pure. */
import type { EventInfo } from '../github/index.js'

/**
 * Where a request pull request cannot be opened safely, why (for the issue); undefined where it can. A fork's access
 * file and default branch are not the ones apply converges, and its owners are not the real owners: a grant merged
 * there would be approved by the wrong people, or never applied at all.
 */
export function unsafeRequestContext(
  event: Pick<EventInfo, 'repositoryIsFork'>
): string | undefined {
  if (event.repositoryIsFork) {
    return 'This repository is a fork: requests are only taken in the repository whose access file is applied, where its owners approve them. Open the request there; nothing was changed here.'
  }
  return undefined
}
