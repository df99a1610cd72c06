/** Base class of every error HyperTrack raises on purpose; the CLI prints its message alone. */
export class HyperTrackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Where in an input a problem sits. `line` is 1-based and counts the header line. */
export interface InputLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
}

/** Malformed or inconsistent input data. The message starts with `file:line: column 'name':`. */
export class InputError extends HyperTrackError {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
  readonly reason: string;

  constructor(location: InputLocation, reason: string) {
    super(formatLocation(location) + reason);
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.reason = reason;
  }
}

/** An invalid option or configuration value, named by its key. */
export class ConfigError extends HyperTrackError {
  readonly key: string;
  constructor(key: string, reason: string) {
    super(`${key}: ${reason}`);
    this.key = key;
  }
}

function formatLocation({ file, line, column }: InputLocation): string {
  let where = file;
  if (line !== undefined) where += `:${line}`;
  where += ': ';
  if (column !== undefined) where += `column '${column}': `;
  return where;
}
