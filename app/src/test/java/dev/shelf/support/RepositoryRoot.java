package dev.shelf.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find and write the files committed at the repository's root (generated docs, the schema snapshot). */
public final class RepositoryRoot {

	private RepositoryRoot() {
	}

	/**
	 * Surefire runs in {@code app/}, an IDE often in the repository root: look upwards for the root, recognized by
	 * the Maven wrapper folder that exists only there, instead of relying on either working directory.
	 */
	public static Path path() {
		for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
			if (Files.isDirectory(directory.resolve(".mvn")) && Files.isRegularFile(directory.resolve("pom.xml"))) {
				return directory;
			}
		}
		throw new IllegalStateException("No repository root (a folder with .mvn/ and pom.xml) above "
				+ Path.of("").toAbsolutePath());
	}
}
