package dev.shelf.migration;

/** What a {@link TenantImportStep} is given for one tenant, and where it reports. */
public interface TenantImportContext {

	/** The legacy app's database, to read the tenant's data from. */
	LegacyDatabase legacy();

	/** A dry run: map and check everything, write nothing. */
	boolean dryRun();

	/**
	 * A mapping problem: something of the legacy data that was not taken over as it was (a value that is not what its
	 * setting expects, an unknown key kept under its legacy name, a date that is not a date). The tenant is still
	 * imported; every problem is in the report, for an operator to look at.
	 *
	 * @param field what the problem is about, e.g. the legacy setting's name
	 */
	void problem(String field, String message);

	/** A figure for the report, e.g. {@code settings} 14 or {@code orders} 50 (adds up when reported twice). */
	void count(String what, long value);
}
