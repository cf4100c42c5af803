export { renderAccessFile, type RenderAccessFileOptions } from './export-access-file.js'
export { accessFileJsonSchema, renderAccessFileJsonSchema, SCHEMA_URL } from './json-schema.js'
export { mergeAccessFiles, type ParseResult } from './merge-access-files.js'
export {
  MAX_ALIAS_COUNT,
  MAX_FILE_BYTES,
  parseAccessFile,
  parseAccessFiles,
  parseAccessFilesInTurns,
  type AccessFileSource,
  type ParsedFiles,
  type ParsedAccessFile
} from './parse-access-file.js'
export { isGlob, matchAccessPaths, readAccessFiles } from './read-access-files.js'
export { parseRemovalLimit } from './removal-limit.js'
export { sameAccessFiles } from './same-files.js'
export { accessFileSchema, type AccessFile, type AccessFileInput } from './schema.js'
export { emailKey, expiryInstant, isEmailAddress } from './values.js'
