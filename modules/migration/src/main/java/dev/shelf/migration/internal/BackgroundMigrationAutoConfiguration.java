package dev.shelf.migration.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.shelf.migration.BackgroundMigration;
import dev.shelf.migration.DatabasePressureCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The background migration engine, auto-configured like {@code ModuleSchemaAutoConfiguration} so that the
 * application and every module's tests get it: jobs are the {@link BackgroundMigration} beans of the context,
 * pressure checks its {@link DatabasePressureCheck} beans (three built in here).
 */
@AutoConfiguration
@EnableConfigurationProperties(MigrationProperties.class)
public class BackgroundMigrationAutoConfiguration {

	@Bean
	DatabasePressureCheck lockWaitsCheck(DataSource dataSource, MigrationProperties properties) {
		return PressureChecks.lockWaits(JdbcClient.create(dataSource), properties.maxLockWaiters());
	}

	@Bean
	DatabasePressureCheck longTransactionsCheck(DataSource dataSource, MigrationProperties properties) {
		return PressureChecks.longTransactions(JdbcClient.create(dataSource), properties.maxTransactionAge());
	}

	@Bean
	DatabasePressureCheck replicationLagCheck(DataSource dataSource, MigrationProperties properties) {
		return PressureChecks.replicationLag(JdbcClient.create(dataSource), properties.maxReplicationLag());
	}

	@Bean
	BackgroundMigrationEngine backgroundMigrationEngine(DataSource dataSource, PlatformTransactionManager transactionManager,
			ObjectProvider<BackgroundMigration> migrations, ObjectProvider<DatabasePressureCheck> checks,
			ObjectProvider<MeterRegistry> meterRegistry, MigrationProperties properties) {
		Map<String, BackgroundMigration> jobs = new LinkedHashMap<>();
		migrations.orderedStream().forEach(job -> {
			if (jobs.put(job.name(), job) != null) {
				throw new IllegalStateException("Two background migrations are named " + job.name());
			}
		});
		var store = new JobStore(JdbcClient.create(dataSource));
		var transactions = new TransactionTemplate(transactionManager);
		var metrics = new MigrationMetrics(meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
		List<DatabasePressureCheck> pressureChecks = checks.orderedStream().toList();
		var runner = new BatchRunner(store, jobs, pressureChecks, transactions, properties, metrics);
		return new BackgroundMigrationEngine(dataSource, store, jobs, runner, transactions, properties, metrics);
	}
}
