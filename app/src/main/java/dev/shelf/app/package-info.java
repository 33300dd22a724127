/**
 * The application shell: assembles the modules into one Spring Boot application.
 * <p>
 * Owns what no single module should: the embedded PostgreSQL used when no datasource is configured
 * ({@code database}), authentication of Shopify session tokens and of operators ({@code security}), the shared
 * GraphQL plumbing — root schema, scalars, error codes, request limits, {@code node} lookup ({@code graphql}) —
 * and request logging context ({@code observability}). No module depends on it.
 * <p>
 * How a request flows: the security filter verifies the session token and resolves the shop → the GraphQL layer
 * puts the shop's id into the execution context → module controllers receive it as a {@code ShopId} parameter.
 */
@org.springframework.modulith.ApplicationModule
package dev.shelf.app;
