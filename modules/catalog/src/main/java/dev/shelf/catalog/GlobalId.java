package dev.shelf.catalog;

import java.util.Optional;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * A GraphQL global id, {@code gid://shelf/<Type>/<id>}, in the style of Shopify's Admin API. The numeric part is a
 * 64-bit database id; it travels as a string because JavaScript numbers lose precision above 2^53.
 */
public record GlobalId(String type, long id) {

	private static final Pattern FORMAT = Pattern.compile("gid://shelf/([A-Z][A-Za-z]*)/([1-9][0-9]{0,18})");
	private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]*");

	public GlobalId {
		if (type == null || !TYPE.matcher(type).matches() || id <= 0) {
			throw new IllegalArgumentException("Not a valid global id: type=" + type + ", id=" + id);
		}
	}

	/** Empty when the text is not a Shelf global id (wrong shape, or a number beyond 64 bits). */
	public static Optional<GlobalId> parse(String text) {
		var match = text == null ? null : FORMAT.matcher(text);
		if (match == null || !match.matches()) {
			return Optional.empty();
		}
		try {
			return Optional.of(new GlobalId(match.group(1), Long.parseLong(match.group(2))));
		}
		catch (NumberFormatException tooLarge) {
			return Optional.empty();
		}
	}

	/**
	 * The numeric id of a global id of the given type.
	 *
	 * @throws BadUserInputException when the text is not a Shelf global id of that type
	 */
	public static long idOf(String type, String text) {
		return parse(text).filter(id -> id.type().equals(type)).map(GlobalId::id)
				.orElseThrow(() -> new BadUserInputException(
						"Invalid global id '" + text + "': expected gid://shelf/" + type + "/<number>"));
	}

	public static String of(String type, long id) {
		return new GlobalId(type, id).toString();
	}

	/**
	 * Formats ids of one type, the type checked once: for fields served hundreds of times per response, where
	 * {@link #of} would check it (a regular expression) and build a record for every id.
	 */
	public static LongFunction<String> formatter(String type) {
		String prefix = new GlobalId(type, 1).toString();
		String typePrefix = prefix.substring(0, prefix.length() - 1);
		return id -> {
			if (id <= 0) {
				throw new IllegalArgumentException("Not a valid global id: type=" + type + ", id=" + id);
			}
			return typePrefix + id;
		};
	}

	@Override
	public String toString() {
		return "gid://shelf/" + type + "/" + id;
	}
}
