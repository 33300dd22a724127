package dev.shelf.app.database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by {@link EmbeddedPostgresServerTests}: starts the embedded server, writes a row, says READY
 * and waits to be killed.
 */
public final class EmbeddedPostgresProcess {

	public static void main(String[] args) throws Exception {
		EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), Integer.parseInt(args[1]));
		var details = server.connectionDetails();
		try (Connection connection = DriverManager.getConnection(details.getJdbcUrl(), details.getUsername(),
				details.getPassword())) {
			connection.createStatement().execute("CREATE TABLE IF NOT EXISTS survivors (name text)");
			connection.createStatement().execute("INSERT INTO survivors VALUES ('written before the crash')");
		}
		System.out.println("READY");
		System.out.flush();
		new CountDownLatch(1).await(); // until the test kills this JVM
	}
}
