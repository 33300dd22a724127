package dev.shelf;

import java.util.Arrays;

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
		SpringApplication.run(ShelfApplication.class, args);
	}
}
