package dev.shelf.migration;

/** Where one legacy tenant's import stands. */
public enum TenantImportStatus {
	/** Listed by a run, not started yet. */
	PENDING,
	/** A run is importing it, or was when it stopped (killed): the next run resumes it at its first step not done. */
	RUNNING,
	/** Every step done. Later runs leave it alone. */
	IMPORTED,
	/** A step decided not to import it; the reason says why. Later runs leave it alone. */
	SKIPPED,
	/** A step failed; the error says why. The next run tries again from that step. */
	FAILED;

	/** Whether later runs leave the tenant alone. */
	public boolean settled() {
		return this == IMPORTED || this == SKIPPED;
	}
}
