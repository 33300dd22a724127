package dev.shelf.app.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.GraphqlErrorBuilder;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.execution.preparsed.persisted.ApolloPersistedQuerySupport;
import graphql.execution.preparsed.persisted.PersistedQueryCache;
import graphql.execution.preparsed.persisted.PersistedQueryCacheMiss;
import graphql.execution.preparsed.persisted.PersistedQueryNotFound;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Persisted queries, two ways, both keyed by the SHA-256 (hex) of the document:
 * <ul>
 * <li><b>Automatic</b> (Apollo's protocol, which Apollo Client, urql and Relay speak): a client sends
 * {@code extensions.persistedQuery.sha256Hash} without the document; an unknown hash answers
 * {@code PERSISTED_QUERY_NOT_FOUND}, the client sends document and hash once, the hash is checked and the parsed,
 * validated document kept (bounded, least recently used out), and later requests carry only the hash.
 * <li><b>Allow-list</b> for production: a manifest (JSON {@code {"<sha256>": "<document>"}}, produced by the frontend's
 * build) is loaded at start-up; its documents are always known, and with {@code allowListOnly} every other document
 * — sent whole or by hash — is refused with {@code PERSISTED_QUERY_NOT_ALLOWED} before it is parsed.
 * </ul>
 * graphql-java's {@link ApolloPersistedQuerySupport} speaks the protocol; what is Shelf's is the bounded cache, the
 * manifest and the allow-list.
 * <p>
 * Documents sent whole are parsed and validated once too ({@link ParsedDocuments}): a frontend sends the same handful
 * of documents over and over, and parsing and validating one took ~6 % of the JVM's CPU for a page of products
 * (BENCHMARKS.md §3).
 */
final class PersistedQueries {

	static final String NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED";

	private PersistedQueries() {
	}

	/**
	 * @param manifest the allow-list manifest, e.g. {@code file:/etc/shelf/persisted-queries.json}; none by default
	 * @param allowListOnly refuse every document that is not in the manifest
	 * @param cacheSize how many automatically persisted documents each instance keeps
	 */
	@ConfigurationProperties("shelf.graphql.persisted-queries")
	record Settings(Resource manifest, @DefaultValue("false") boolean allowListOnly,
			@DefaultValue("10000") long cacheSize) {
	}

	static PreparsedDocumentProvider provider(Settings settings, JsonMapper json) {
		Map<String, String> manifest = load(settings.manifest(), json);
		if (settings.allowListOnly() && manifest.isEmpty()) {
			throw new IllegalStateException("shelf.graphql.persisted-queries.allow-list-only is set, but no manifest "
					+ "(shelf.graphql.persisted-queries.manifest) lists any document: every request would be refused");
		}
		var support = new ApolloPersistedQuerySupport(new Registry(manifest, settings.cacheSize()));
		return new ParsedDocuments(settings.allowListOnly() ? new AllowList(manifest.keySet(), support) : support,
				PARSED_DOCUMENTS_CHARACTERS);
	}

	/** What the documents kept by {@link ParsedDocuments} may add up to, in characters of their text. */
	static final long PARSED_DOCUMENTS_CHARACTERS = 2_000_000;

	static String sha256(String document) {
		try {
			return HexFormat.of().formatHex(
					MessageDigest.getInstance("SHA-256").digest(document.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("Every JVM has SHA-256", e);
		}
	}

	private static Map<String, String> load(Resource manifest, JsonMapper json) {
		if (manifest == null) {
			return Map.of();
		}
		try (InputStream in = manifest.getInputStream()) {
			Map<String, String> documents = json.readValue(in, new TypeReference<LinkedHashMap<String, String>>() {
			});
			documents.forEach((hash, document) -> {
				if (!sha256(document).equals(hash)) {
					throw new IllegalStateException("Persisted query manifest " + manifest + ": the document under "
							+ hash + " has another SHA-256 (" + sha256(document) + ")");
				}
			});
			return Map.copyOf(documents);
		}
		catch (IOException e) {
			throw new IllegalStateException("Cannot read the persisted query manifest " + manifest, e);
		}
	}

	/** The manifest's documents, then those clients registered, parsed and validated once. */
	private static final class Registry implements PersistedQueryCache {

		private final Map<String, String> manifest;
		private final Cache<Object, PreparsedDocumentEntry> documents;

		Registry(Map<String, String> manifest, long size) {
			this.manifest = manifest;
			this.documents = Caffeine.newBuilder().maximumSize(size).build();
		}

		@Override
		public CompletableFuture<PreparsedDocumentEntry> getPersistedQueryDocumentAsync(Object hash, ExecutionInput input,
				PersistedQueryCacheMiss onMiss) throws PersistedQueryNotFound {
			PreparsedDocumentEntry known = documents.getIfPresent(hash);
			if (known != null) {
				return CompletableFuture.completedFuture(known);
			}
			String document = manifest.getOrDefault(hash.toString(), input.getQuery());
			if (document == null || document.equals(PersistedQuerySupport.PERSISTED_QUERY_MARKER)) {
				throw new PersistedQueryNotFound(hash);
			}
			// onMiss checks the document's hash against the one sent before it parses and validates.
			PreparsedDocumentEntry entry = onMiss.apply(document);
			if (!entry.hasErrors()) {
				documents.put(hash, entry);
			}
			return CompletableFuture.completedFuture(entry);
		}
	}

	/**
	 * Keeps the outcome of parsing and validating a document, keyed by its text, when it has no errors; a document
	 * with errors is parsed again each time, so its errors are reported as ever. Sits outside the allow-list, which
	 * still refuses a document before any of this. Validation depends on the document and the schema only (not on
	 * variables or the operation chosen), so a kept entry serves every request with that text. Bounded by the
	 * documents' total length; the least recently used go first.
	 */
	static final class ParsedDocuments implements PreparsedDocumentProvider {

		private final PreparsedDocumentProvider delegate;
		private final Cache<String, PreparsedDocumentEntry> documents;

		ParsedDocuments(PreparsedDocumentProvider delegate, long maxCharacters) {
			this.delegate = delegate;
			this.documents = Caffeine.newBuilder()
					.maximumWeight(maxCharacters)
					.<String, PreparsedDocumentEntry>weigher((document, entry) -> document.length())
					.build();
		}

		@Override
		public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
				Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
			return delegate.getDocumentAsync(input, toParse -> {
				String document = toParse.getQuery();
				PreparsedDocumentEntry known = documents.getIfPresent(document);
				if (known != null) {
					return known;
				}
				PreparsedDocumentEntry entry = parseAndValidate.apply(toParse);
				if (!entry.hasErrors()) {
					documents.put(document, entry);
				}
				return entry;
			});
		}
	}

	/** Refuses, before parsing, every document whose hash is not in the manifest. */
	private static final class AllowList implements PreparsedDocumentProvider {

		private final java.util.Set<String> allowed;
		private final PreparsedDocumentProvider delegate;

		AllowList(java.util.Set<String> allowed, PreparsedDocumentProvider delegate) {
			this.allowed = allowed;
			this.delegate = delegate;
		}

		@Override
		public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
				Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
			String hash = sentHash(input).orElseGet(() -> sha256(input.getQuery()));
			if (!allowed.contains(hash)) {
				return CompletableFuture.completedFuture(new PreparsedDocumentEntry(List.of(GraphqlErrorBuilder.newError()
						.message("This server runs only allow-listed operations; " + hash + " is not one of them")
						.extensions(Map.of("code", NOT_ALLOWED)).build())));
			}
			return delegate.getDocumentAsync(input, parseAndValidate);
		}

	}

	static Optional<String> sentHash(ExecutionInput input) {
		return input.getExtensions().get("persistedQuery") instanceof Map<?, ?> persisted
				&& persisted.get("sha256Hash") instanceof String hash ? Optional.of(hash) : Optional.empty();
	}
}
