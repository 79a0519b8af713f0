/**
 * A setting the operator wrote that QuiverDB cannot use. It stops the start, so the message names
 * everything needed to fix it: the key, and where it came from (file and line, environment
 * variable or command-line flag).
 */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    message: string,
    readonly key: string | null,
    readonly origin: string | null,
  ) {
    super(origin === null ? message : `${message} (${origin})`);
  }
}

/** Thrown by a value parser; the loader turns it into a ConfigError naming key and origin. */
export class InvalidSettingValue extends Error {
  override name = 'InvalidSettingValue';
}
