/** A `key=value` pair as the operator wrote it, with where it was written. */
export interface RawSetting {
  readonly key: string;
  readonly value: string;
  /** `conf/quiver.conf:3`, `environment variable NEO4J_dbms_mode`, `command line`. */
  readonly origin: string;
}
