/**
 * An error that is the user's to fix (a topic, the brokers, a missing tool, a setting), whose
 * message says what is wrong and what to do: commands report it as one line, without a stack.
 */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}
