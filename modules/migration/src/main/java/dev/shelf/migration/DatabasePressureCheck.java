package dev.shelf.migration;

import java.util.Optional;

/**
 * Asked before every batch: whether the database is under pressure right now, in which case the engine waits and
 * asks again instead of adding load. Built in: sessions waiting for locks, long-running transactions, replication
 * lag (where replicas exist). A module or the application adds its own as a Spring bean.
 */
public interface DatabasePressureCheck {

	/** A short name for metrics and logs, e.g. {@code lock-waits}. */
	String name();

	/** Why batches should wait now, for operators to read; empty when the database can take more work. */
	Optional<String> pressure();
}
