package dev.shelf.app.graphql;

/** The request itself is wrong (a malformed id, too many ids): answered with code BAD_USER_INPUT. */
class BadUserInputException extends RuntimeException {

	BadUserInputException(String message) {
		super(message);
	}
}
