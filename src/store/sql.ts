/** The seam between repositories and a database driver. No driver types leak through it. */
export interface SqlClient {
  /** Runs one parameterised statement ($1, $2, ...) and returns its rows. */
  query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/** A database the process owns and must close. */
export interface Database extends SqlClient {
  /** Which engine is behind it, for health output and logs. */
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}
