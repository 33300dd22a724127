package dev.shelf.app.security;

import java.nio.file.Path;

import dev.shelf.billing.ShopifyAppCredentials;
import dev.shelf.catalog.Shops;
import dev.shelf.webhooks.ShopifyAppSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.StringUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three kinds of caller: shops, through {@code /graphql} with a Shopify session token; Shopify, through
 * {@code /webhooks/shopify}, verified by the webhooks module's HMAC check (its own chain, first); and operators, through the actuator and
 * the {@code @operatorOnly} fields of {@code /graphql}, with HTTP Basic ({@code operator} /
 * {@code SHELF_OPERATOR_PASSWORD}). Health and info are public for
 * load balancers. Nothing else is reachable. Stateless: no cookies, so no CSRF token either.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
	static final String OPERATOR_ROLE = "OPERATOR";

	@Bean
	ShopifyCredentials shopifyCredentials(ShopifyProperties properties, Environment environment,
			@Value("${shelf.data-dir}") Path dataDirectory) {
		ShopifyCredentials credentials = ShopifyCredentials.resolve(properties,
				environment.acceptsProfiles(Profiles.of("dev")), dataDirectory);
		if (credentials.generatedForDevelopment()) {
			log.warn("""

					*** DEVELOPMENT CREDENTIALS ***
					SHOPIFY_API_SECRET is not set: session tokens are verified with a generated development secret
					stored in {}. Mint a token with the 'dev-token' command (see README).
					Never run like this in production: without the 'dev' profile Shelf refuses to start.
					""", dataDirectory.resolve(ShopifyCredentials.DEV_CREDENTIALS_FILE).toAbsolutePath());
		}
		return credentials;
	}

	/** Shopify signs webhooks with the same secret as session tokens. */
	@Bean
	ShopifyAppSecrets webhookSigningSecrets(ShopifyCredentials credentials) {
		return credentials::secrets;
	}

	/** Shopify's token exchange authenticates the app with its API key and current secret. */
	@Bean
	ShopifyAppCredentials shopifyAppCredentials(ShopifyCredentials credentials) {
		return new ShopifyAppCredentials() {
			@Override
			public String clientId() {
				return credentials.apiKey();
			}

			@Override
			public String clientSecret() {
				return credentials.secrets().get(0);
			}
		};
	}

	/**
	 * With {@code management.observations.enable.spring.security=false} (application.yml) Spring Security's
	 * observations are dropped by a predicate, but Spring Security still wraps every filter of every chain, the
	 * authentication manager and the authorization manager in observing decorators that start and stop no-op
	 * observations on every request. This setting leaves them out: the same (absent) observations, none of the work.
	 */
	@Bean
	@ConditionalOnProperty(name = "management.observations.enable.spring.security", havingValue = "false")
	SecurityObservationSettings noSecurityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	SessionTokenDecoder sessionTokenDecoder(ShopifyCredentials credentials) {
		return new SessionTokenDecoder(credentials);
	}

	/**
	 * Shopify's deliveries carry no credential Spring Security knows: the webhooks module verifies each one's HMAC over
	 * the raw body. This chain only lets them through, with none of the other chains' filters (they cost a fifth of
	 * the acknowledgement's CPU, BENCHMARKS.md §7). Open to every method so a GET gets 405.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain shopifyWebhooks(HttpSecurity http) throws Exception {
		return http.securityMatcher("/webhooks/shopify")
				.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
				.anonymous(anonymous -> anonymous.disable())
				.csrf(csrf -> csrf.disable())
				.exceptionHandling(exceptions -> exceptions.disable())
				.headers(headers -> headers.disable())
				.logout(logout -> logout.disable())
				.requestCache(cache -> cache.disable())
				.securityContext(context -> context.disable())
				.servletApi(servletApi -> servletApi.disable())
				.sessionManagement(session -> session.disable())
				.build();
	}

	@Bean
	@Order(1)
	SecurityFilterChain operatorEndpoints(HttpSecurity http) throws Exception {
		return http.securityMatcher(EndpointRequest.toAnyEndpoint())
				.authorizeHttpRequests(requests -> requests
						.requestMatchers(EndpointRequest.to("health", "info")).permitAll()
						.anyRequest().hasRole(OPERATOR_ROLE))
				.httpBasic(Customizer.withDefaults())
				.csrf(csrf -> csrf.disable())
				.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
				.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain shopRequests(HttpSecurity http, SessionTokenDecoder decoder, Shops shops, JsonMapper json)
			throws Exception {
		var entryPoint = new GraphQlAuthenticationEntryPoint(json);
		return http
				.authorizeHttpRequests(requests -> requests
						// Shops with a session token; operators with HTTP Basic, for the @operatorOnly fields.
						.requestMatchers("/graphql").hasAnyRole(ShopSession.ROLE, OPERATOR_ROLE)
						// Present only when spring.graphql.graphiql.enabled (the dev profile); it calls /graphql.
						.requestMatchers("/graphiql", "/graphiql/**").permitAll()
						.requestMatchers("/error").permitAll()
						.anyRequest().denyAll())
				.oauth2ResourceServer(resourceServer -> resourceServer
						.jwt(jwt -> jwt.decoder(decoder)
								.jwtAuthenticationConverter(token -> {
									String domain = SessionTokenDecoder.shopDomain(token);
									return new ShopSession(token, shops.registeredId(domain), domain);
								}))
						.authenticationEntryPoint(entryPoint))
				.httpBasic(basic -> basic.authenticationEntryPoint(entryPoint))
				.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint))
				// After both authentication filters (Basic runs after the bearer token filter).
				.addFilterAfter(new CallerContextFilter(), BasicAuthenticationFilter.class)
				.cors(Customizer.withDefaults())
				.csrf(csrf -> csrf.disable())
				.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
				.build();
	}

	@Bean
	UserDetailsService operators(@Value("${shelf.operator.password:}") String password) {
		if (!StringUtils.hasText(password)) {
			log.info("SHELF_OPERATOR_PASSWORD is not set: operator endpoints (metrics, prometheus) are closed");
			return new InMemoryUserDetailsManager();
		}
		return new InMemoryUserDetailsManager(User.withUsername("operator")
				.password("{noop}" + password)
				.roles(OPERATOR_ROLE)
				.build());
	}
}
