package dev.shelf.app.catalog;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import javax.sql.DataSource;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Every SQL statement the application executes while a test records, with the parameters it was bound with and the
 * thread it ran on. The application's DataSource is wrapped by datasource-proxy, so what is recorded is what reached
 * the JDBC driver — including statements of DataLoader batches, on whatever thread dispatched them.
 */
final class StatementLog implements QueryExecutionListener {

	private final AtomicReference<List<SqlStatement>> recording = new AtomicReference<>();

	/** Runs {@code action} and returns it with the statements executed meanwhile, by any thread. */
	synchronized <T> Recorded<T> record(Supplier<T> action) {
		List<SqlStatement> statements = Collections.synchronizedList(new ArrayList<>());
		recording.set(statements);
		try {
			T result = action.get();
			return new Recorded<>(result, List.copyOf(statements));
		}
		finally {
			recording.set(null);
		}
	}

	@Override
	public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
	}

	@Override
	public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
		List<SqlStatement> statements = recording.get();
		if (statements == null) {
			return;
		}
		for (QueryInfo query : queries) {
			// A JDBC batch is one round trip: one statement, bound with its first row of parameters.
			List<ParameterSetOperation> parameters = query.getParametersList().isEmpty() ? List.of()
					: List.copyOf(query.getParametersList().get(0));
			statements.add(new SqlStatement(query.getQuery(), parameters, Thread.currentThread().getName()));
		}
	}

	record Recorded<T>(T result, List<SqlStatement> statements) {
	}

	/** One executed statement: its SQL text as the driver got it, and the setter calls that bound its parameters. */
	record SqlStatement(String sql, List<ParameterSetOperation> parameters, String thread) {

		/** The bound values in parameter order; arrays as lists, so they compare and print by content. */
		List<Object> values() {
			return parameters.stream()
					.map(parameter -> {
						Object value = ParameterSetOperation.isSetNullParameterOperation(parameter) ? null
								: parameter.getArgs()[1];
						return value instanceof Object[] array ? Arrays.asList(array) : value;
					})
					.toList();
		}

		/** Whether some parameter is exactly this value (numbers compared as longs: drivers get ints and longs). */
		boolean isBoundTo(Object value) {
			return values().stream().anyMatch(bound -> bound instanceof Number number && value instanceof Number wanted
					? number.longValue() == wanted.longValue() : value.equals(bound));
		}

		/** Binds {@code statement}'s parameters exactly as the application bound this one's. */
		void bind(PreparedStatement statement) throws SQLException {
			try {
				for (ParameterSetOperation parameter : parameters) {
					parameter.getMethod().invoke(statement, parameter.getArgs());
				}
			}
			catch (ReflectiveOperationException e) {
				throw new IllegalStateException("Could not bind " + this, e);
			}
		}

		/** The SQL with PostgreSQL's numbered placeholders ($1, $2, …) for JDBC's {@code ?}, as in PREPARE. */
		String numberedSql() {
			StringBuilder numbered = new StringBuilder();
			boolean quoted = false;
			int placeholders = 0;
			for (char c : sql.toCharArray()) {
				quoted ^= c == '\'';
				if (c == '?' && !quoted) {
					numbered.append('$').append(++placeholders);
				}
				else {
					numbered.append(c);
				}
			}
			if (placeholders != parameters.size()) {
				throw new IllegalStateException(placeholders + " placeholders for " + parameters.size() + " parameters: " + this);
			}
			return numbered.toString();
		}

		@Override
		public String toString() {
			return sql.strip().replaceAll("\\s+", " ") + " " + values() + " [" + thread + "]";
		}
	}

	/**
	 * Wraps the application's DataSource so the log sees every statement. A test context importing this differs
	 * from the shared {@code @ShelfApplicationTest} one; {@link StatementLogTest} keeps it to one such context.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Recording {

		@Bean
		static StatementLog statementLog() {
			return new StatementLog();
		}

		@Bean
		static BeanPostProcessor recordStatementsOfTheDataSource(ObjectProvider<StatementLog> log) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String name) {
					if (bean instanceof DataSource dataSource && !(bean instanceof ProxyDataSource)) {
						return ProxyDataSourceBuilder.create(dataSource).name(name).listener(log.getObject()).build();
					}
					return bean;
				}
			};
		}
	}
}
