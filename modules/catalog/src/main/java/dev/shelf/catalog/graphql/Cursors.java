package dev.shelf.catalog.graphql;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import dev.shelf.catalog.BadUserInputException;
import dev.shelf.catalog.ProductPosition;
import dev.shelf.catalog.ProductSortKey;

/**
 * Opaque cursors: base64url of the keyset position ({@code sort key, value, id}). Clients must not parse them;
 * they are stable across inserts and deletes because they name a position, not an offset. A cursor made for one
 * sort key is refused for another.
 */
final class Cursors {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private Cursors() {
	}

	static String product(ProductPosition position) {
		String value = switch (position.sortKey()) {
			case ID -> "";
			case TITLE -> position.title();
			case UPDATED_AT -> position.updatedAt().toString();
		};
		// The value goes last: a title may contain any character, including the separator.
		return encode("p:" + position.sortKey().name() + ":" + position.id() + ":" + value);
	}

	static ProductPosition product(String cursor, ProductSortKey expectedSortKey) {
		String[] parts = decode(cursor).split(":", 4);
		try {
			if (parts.length != 4 || !parts[0].equals("p")) {
				throw new IllegalArgumentException("not a product cursor");
			}
			ProductSortKey sortKey = ProductSortKey.valueOf(parts[1]);
			long id = Long.parseLong(parts[2]);
			if (sortKey != expectedSortKey) {
				throw new BadUserInputException("The cursor was made for sortKey " + sortKey + ", not " + expectedSortKey);
			}
			return switch (sortKey) {
				case ID -> new ProductPosition(sortKey, null, null, id);
				case TITLE -> new ProductPosition(sortKey, parts[3], null, id);
				case UPDATED_AT -> new ProductPosition(sortKey, null, Instant.parse(parts[3]), id);
			};
		}
		catch (RuntimeException e) {
			if (e instanceof BadUserInputException bad) {
				throw bad;
			}
			throw invalid(cursor);
		}
	}

	/** For short lists ordered by id (variants of a product, mirrors). */
	static String id(String kind, long id) {
		return encode(kind + ":" + id);
	}

	static long id(String kind, String cursor) {
		String[] parts = decode(cursor).split(":", 2);
		try {
			if (parts.length != 2 || !parts[0].equals(kind)) {
				throw new IllegalArgumentException("wrong kind");
			}
			return Long.parseLong(parts[1]);
		}
		catch (RuntimeException e) {
			throw invalid(cursor);
		}
	}

	private static String encode(String text) {
		return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String decode(String cursor) {
		try {
			return new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException e) {
			throw invalid(cursor);
		}
	}

	private static BadUserInputException invalid(String cursor) {
		return new BadUserInputException("Invalid cursor '" + cursor + "': use a cursor from this connection's pageInfo or edges");
	}
}
