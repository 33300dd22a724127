package dev.shelf.catalog.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.shelf.migration.TenantImportContext;
import tools.jackson.databind.JsonNode;

/**
 * The legacy app's shop settings in Shelf's names and types ({@code catalog.shops.settings}). The rules, each for a
 * lesson of earlier imports:
 * <ul>
 * <li>Every setting is kept. A value that is not what its setting expects keeps its legacy text under Shelf's name
 * and is reported — never replaced by a default, which would silently change what the merchant chose.</li>
 * <li>Flags: the legacy app stored tinyints and form strings, and treated NULL (and "", "0", "no", "off") as false;
 * so does the mapping. Any other non-zero number, "1", "yes", "on", "true" is true.</li>
 * <li>A key the mapping does not know is kept under its legacy name, with its legacy value, and reported: the
 * merchant's data is not dropped because Shelf has no use for it yet.</li>
 * <li>A key absent in the legacy app stays absent: Shelf's defaults apply to what the merchant never set.</li>
 * </ul>
 */
final class LegacySettings {

	enum Kind { FLAG, TEXT, INTEGER, COLOUR, CHOICE }

	/** A legacy setting and its Shelf name (kebab-case, Shelf's spelling). */
	record Mapping(String legacyName, String shelfName, Kind kind, Set<String> choices) {

		static Mapping of(String legacyName, String shelfName, Kind kind) {
			return new Mapping(legacyName, shelfName, kind, Set.of());
		}
	}

	/** The keys of the legacy settings blob ({@code shop_settings.settings}). */
	static final List<Mapping> BLOB = List.of(
			Mapping.of("product-with-link", "title-with-link", Kind.FLAG),
			Mapping.of("showPrice", "show-price", Kind.FLAG),
			Mapping.of("hide_sold_out", "hide-sold-out", Kind.FLAG),
			Mapping.of("btn-text", "button-text", Kind.TEXT),
			Mapping.of("btn-color", "button-colour", Kind.COLOUR),
			Mapping.of("per-row", "products-per-row", Kind.INTEGER),
			new Mapping("img-size", "image-size", Kind.CHOICE, Set.of("small", "medium", "large")),
			Mapping.of("custom_css", "custom-css", Kind.TEXT),
			Mapping.of("lang", "locale", Kind.TEXT));

	/** The flag columns of the legacy {@code shops} table. */
	static final List<Mapping> COLUMNS = List.of(
			Mapping.of("show_branding", "show-branding", Kind.FLAG),
			Mapping.of("email_notifications", "email-notifications", Kind.FLAG),
			Mapping.of("review_requests", "review-requests", Kind.FLAG));

	private static final Set<String> TRUE = Set.of("1", "true", "yes", "on");
	private static final Set<String> FALSE = Set.of("", "0", "false", "no", "off");
	private static final Pattern COLOUR = Pattern.compile("#([0-9a-f]{3}|[0-9a-f]{6})");
	private static final Pattern INTEGER = Pattern.compile("-?\\d{1,9}");

	private LegacySettings() {
	}

	/**
	 * @param columns the flag columns' values (null for NULL), by legacy column name
	 * @param blob the settings blob as a JSON object, or null when the shop has no settings row
	 * @return Shelf's settings, in the mapping's order, unknown keys last
	 */
	static Map<String, Object> map(Map<String, Object> columns, JsonNode blob, TenantImportContext report) {
		Map<String, Object> settings = new LinkedHashMap<>();
		for (Mapping mapping : COLUMNS) {
			Object value = columns.get(mapping.legacyName());
			settings.put(mapping.shelfName(), value == null ? false : ((Number) value).longValue() != 0);
		}
		if (blob == null) {
			return settings;
		}
		for (Mapping mapping : BLOB) {
			if (blob.has(mapping.legacyName())) {
				JsonNode value = blob.get(mapping.legacyName());
				settings.put(mapping.shelfName(), convert(mapping, value.isNull() ? null : value.asString(), report));
			}
		}
		for (Map.Entry<String, JsonNode> entry : blob.properties()) {
			String name = entry.getKey();
			if (BLOB.stream().noneMatch(mapping -> mapping.legacyName().equals(name))) {
				JsonNode value = entry.getValue();
				settings.putIfAbsent(name, value.isNull() ? null : value.isValueNode() ? value.asString() : value);
				report.problem(name, "unknown setting: kept under its legacy name, value " + value);
			}
		}
		return settings;
	}

	private static Object convert(Mapping mapping, String value, TenantImportContext report) {
		switch (mapping.kind()) {
			case FLAG: {
				String flag = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
				if (FALSE.contains(flag)) {
					return false;
				}
				if (TRUE.contains(flag)) {
					return true;
				}
				return kept(mapping, value, "not a yes/no value", report);
			}
			case INTEGER:
				if (value == null) {
					return null;
				}
				if (INTEGER.matcher(value.strip()).matches()) {
					return Integer.parseInt(value.strip());
				}
				return kept(mapping, value, "not a whole number", report);
			case COLOUR:
				if (value == null) {
					return null;
				}
				if (COLOUR.matcher(value.strip().toLowerCase(Locale.ROOT)).matches()) {
					return value.strip().toLowerCase(Locale.ROOT);
				}
				return kept(mapping, value, "not a #rgb or #rrggbb colour", report);
			case CHOICE:
				if (value == null || mapping.choices().contains(value)) {
					return value;
				}
				return kept(mapping, value, "not one of " + mapping.choices(), report);
			default:
				return value;
		}
	}

	private static String kept(Mapping mapping, String value, String why, TenantImportContext report) {
		report.problem(mapping.legacyName(), "\"" + value + "\" is " + why + ": kept as it was under "
				+ mapping.shelfName());
		return value;
	}
}
