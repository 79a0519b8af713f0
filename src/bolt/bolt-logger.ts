/** The subset of a pino logger the Bolt layer uses; a pino instance satisfies it. */
export interface BoltLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const ignore = (): void => undefined;

export const SILENT_LOGGER: BoltLogger = {
  debug: ignore, info: ignore, warn: ignore, error: ignore,
};
