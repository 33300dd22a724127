package dev.shelf.catalog;

/**
 * A query argument the caller got wrong (a malformed id or cursor, an impossible page size): answered with a
 * GraphQL error of code {@code BAD_USER_INPUT}, not an internal one. Mutations report bad input as user errors.
 */
public class BadUserInputException extends RuntimeException {

	public BadUserInputException(String message) {
		super(message);
	}
}
