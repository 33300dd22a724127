package dev.shelf;

import java.util.Arrays;

import dev.shelf.app.cli.ImportTenantsCommand;
import dev.shelf.app.cli.MigrationsCommand;
import dev.shelf.app.security.DevTokenCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ShelfApplication {

	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals(DevTokenCommand.NAME)) {
			// Minting a token needs no database or web server, so it runs without starting Spring.
			System.exit(DevTokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
		}
		if (args.length > 0 && args[0].equals(MigrationsCommand.NAME)) {
			// A client of a running Shelf's operator API: no Spring, no database of its own.
			System.exit(MigrationsCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(),
					System.console() != null, System.out, System.err));
		}
		if (args.length > 0 && args[0].equals(ImportTenantsCommand.NAME)) {
			System.exit(ImportTenantsCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(),
					System.console() != null, System.out, System.err));
		}
		SpringApplication.run(ShelfApplication.class, args);
	}
}
