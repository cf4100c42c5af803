/** Also for non-Error throws: a message is always better than "[object Object]" or nothing. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  try {
    // JSON.stringify(undefined) is undefined, not a string.
    return JSON.stringify(error) ?? String(error)
  } catch {
    return String(error)
  }
}
