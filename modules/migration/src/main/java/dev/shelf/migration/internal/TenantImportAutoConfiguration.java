package dev.shelf.migration.internal;

import javax.sql.DataSource;

import dev.shelf.migration.LegacyDatabase;
import dev.shelf.migration.LegacyTenantSource;
import dev.shelf.migration.TenantImportStep;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tenant import, auto-configured like the background migration engine: steps are the context's
 * {@link TenantImportStep} beans in their {@code @Order}, the tenants come from its {@link LegacyTenantSource}, and
 * the legacy database is {@code shelf.migration.legacy.*} when set.
 */
@AutoConfiguration
@EnableConfigurationProperties({ TenantImportProperties.class, LegacyDatabaseProperties.class })
public class TenantImportAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty("shelf.migration.legacy.url")
	LegacyDatabase legacyDatabase(LegacyDatabaseProperties legacy, TenantImportProperties imports) {
		return LegacyDatabase.connect(legacy.url(), legacy.username(), legacy.password(),
				legacy.maxConnections() > 0 ? legacy.maxConnections() : imports.concurrency() + 2);
	}

	@Bean
	TenantImportEngine tenantImportEngine(DataSource dataSource, PlatformTransactionManager transactionManager,
			ObjectProvider<LegacyTenantSource> source, ObjectProvider<TenantImportStep> steps,
			ObjectProvider<LegacyDatabase> legacy, ObjectProvider<MeterRegistry> meterRegistry,
			TenantImportProperties properties) {
		// Steps are looked up when a run starts, not now: they depend on their modules' services, which may depend on
		// TenantImports themselves (the catalog's shop erasure forgets imported tenants).
		return new TenantImportEngine(dataSource, new TenantImportStore(JdbcClient.create(dataSource)),
				source::getIfAvailable, () -> steps.orderedStream().toList(), legacy::getIfAvailable, new TransactionTemplate(transactionManager),
				properties, new TenantImportMetrics(meterRegistry.getIfAvailable(SimpleMeterRegistry::new)));
	}
}
