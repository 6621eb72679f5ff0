package io.netron.core;

/**
 * What adding a task does when a task of the same name exists.
 */
public enum TaskOverwriteStrategy {

	/** The new task replaces the old one. */
	REPLACE,

	/** The new task is ignored. */
	SKIP,

	/** Adding fails with "Task already exists: name". */
	THROW

}
