/**
 * Every Neo4j status code QuiverDB emits, in one table, so tools written for Neo4j keep working.
 * Classification (ClientError / TransientError / DatabaseError) decides driver retry behaviour.
 */
export const StatusCode = {
  // Statement
  SyntaxError: 'Neo.ClientError.Statement.SyntaxError',
  SemanticError: 'Neo.ClientError.Statement.SemanticError',
  TypeError: 'Neo.ClientError.Statement.TypeError',
  ArgumentError: 'Neo.ClientError.Statement.ArgumentError',
  ArithmeticError: 'Neo.ClientError.Statement.ArithmeticError',
  ParameterMissing: 'Neo.ClientError.Statement.ParameterMissing',
  EntityNotFound: 'Neo.ClientError.Statement.EntityNotFound',
  PropertyNotFound: 'Neo.ClientError.Statement.PropertyNotFound',
  ExternalResourceFailed: 'Neo.ClientError.Statement.ExternalResourceFailed',
  NotSystemDatabaseError: 'Neo.ClientError.Statement.NotSystemDatabaseError',
  UnknownFunction: 'Neo.ClientError.Statement.SyntaxError',
  FeatureNotSupported: 'Neo.ClientError.Statement.FeatureDeprecationWarning',
  AccessMode: 'Neo.ClientError.Statement.AccessMode',
  ProcedureNotFound: 'Neo.ClientError.Procedure.ProcedureNotFound',
  ProcedureCallFailed: 'Neo.ClientError.Procedure.ProcedureCallFailed',
  // Schema
  ConstraintValidationFailed: 'Neo.ClientError.Schema.ConstraintValidationFailed',
  EquivalentSchemaRuleAlreadyExists: 'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists',
  IndexNotFound: 'Neo.ClientError.Schema.IndexNotFound',
  ConstraintNotFound: 'Neo.ClientError.Schema.ConstraintNotFound',
  ConstraintCreationFailed: 'Neo.DatabaseError.Schema.ConstraintCreationFailed',
  DeleteNodeWithRelationships: 'Neo.ClientError.Schema.ConstraintValidationFailed',
  // Transactions
  TransactionNotFound: 'Neo.ClientError.Transaction.TransactionNotFound',
  InvalidBookmark: 'Neo.ClientError.Transaction.InvalidBookmark',
  BookmarkTimeout: 'Neo.TransientError.Transaction.BookmarkTimeout',
  DeadlockDetected: 'Neo.TransientError.Transaction.DeadlockDetected',
  Outdated: 'Neo.TransientError.Transaction.Outdated',
  TransactionTimedOut: 'Neo.ClientError.Transaction.TransactionTimedOut',
  Terminated: 'Neo.TransientError.Transaction.Terminated',
  MaximumTransactionLimitReached: 'Neo.TransientError.Transaction.MaximumTransactionLimitReached',
  TransactionAccessedConcurrently: 'Neo.ClientError.Transaction.TransactionAccessedConcurrently',
  // Requests and protocol
  RequestInvalid: 'Neo.ClientError.Request.Invalid',
  InvalidFormat: 'Neo.ClientError.Request.InvalidFormat',
  // Security
  Unauthorized: 'Neo.ClientError.Security.Unauthorized',
  CredentialsExpired: 'Neo.ClientError.Security.CredentialsExpired',
  Forbidden: 'Neo.ClientError.Security.Forbidden',
  InvalidArgumentsUser: 'Neo.ClientError.General.InvalidArguments',
  AuthenticationRateLimit: 'Neo.ClientError.Security.AuthenticationRateLimit',
  // Cluster
  NotALeader: 'Neo.ClientError.Cluster.NotALeader',
  LeaderUnavailable: 'Neo.TransientError.Cluster.NotALeader',
  ReplicationFailure: 'Neo.TransientError.Cluster.ReplicationFailure',
  DatabaseUnavailable: 'Neo.TransientError.General.DatabaseUnavailable',
  DatabaseNotFound: 'Neo.ClientError.Database.DatabaseNotFound',
  ExistingDatabaseFound: 'Neo.ClientError.Database.ExistingDatabaseFound',
  // Resources
  MemoryPoolOutOfMemoryError: 'Neo.TransientError.General.MemoryPoolOutOfMemoryError',
  // Internal
  UnknownError: 'Neo.DatabaseError.General.UnknownError',
  StorageDamageDetected: 'Neo.DatabaseError.General.StorageDamageDetected',
} as const;

export type StatusCodeName = keyof typeof StatusCode;
export type Neo4jCode = (typeof StatusCode)[StatusCodeName];
