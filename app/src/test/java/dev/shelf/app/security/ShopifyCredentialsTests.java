package dev.shelf.app.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What Shelf does when its Shopify secret is missing, short, or being rotated. */
class ShopifyCredentialsTests {

	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	@TempDir
	Path dataDirectory;

	@Test
	void withoutASecretShelfRefusesToStartOutsideTheDevProfile() {
		assertThatThrownBy(() -> ShopifyCredentials.resolve(new ShopifyProperties("key", "", ""), false, dataDirectory))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("SHOPIFY_API_SECRET is not set");
		assertThat(dataDirectory).isEmptyDirectory();
	}

	@Test
	void withoutASecretTheDevProfileGeneratesOneOnceAndKeepsItPrivate() throws Exception {
		var first = ShopifyCredentials.resolve(new ShopifyProperties(null, null, null), true, dataDirectory);
		var second = ShopifyCredentials.resolve(new ShopifyProperties(null, null, null), true, dataDirectory);

		assertThat(first.generatedForDevelopment()).isTrue();
		assertThat(first.secrets()).hasSize(1).first().asString().hasSizeGreaterThanOrEqualTo(32);
		assertThat(second).as("the dev-token command and the server must agree").isEqualTo(first);
		Path file = dataDirectory.resolve(ShopifyCredentials.DEV_CREDENTIALS_FILE);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}

	@Test
	void aConfiguredSecretComesFirstAndTheOldOneSecond() {
		var credentials = ShopifyCredentials.resolve(new ShopifyProperties("key", SECRET, SECRET.toUpperCase()), false,
				dataDirectory);

		assertThat(credentials.secrets()).containsExactly(SECRET, SECRET.toUpperCase());
		assertThat(credentials.generatedForDevelopment()).isFalse();
	}

	@Test
	void aSecretTooShortForHs256IsRefusedAtStartup() {
		assertThatThrownBy(() -> ShopifyCredentials.resolve(new ShopifyProperties("key", "short", null), false,
				dataDirectory)).hasMessageContaining("at least 32 bytes");
	}

	@Test
	void anApiKeyIsRequiredBecauseTokensAreCheckedAgainstIt() {
		assertThatThrownBy(() -> ShopifyCredentials.resolve(new ShopifyProperties(" ", SECRET, null), false,
				dataDirectory)).hasMessageContaining("SHOPIFY_API_KEY is not set");
	}
}
