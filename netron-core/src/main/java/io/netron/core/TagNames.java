package io.netron.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Names that become tag values of meters (error names, which a peer chooses), kept to a number of
 * distinct ones per node: past it, any other name is observed as {@value #OTHER}, so that what
 * peers send cannot make the meter registry grow without bound.
 */
final class TagNames {

	/** What a name beyond the first ones is observed as. */
	static final String OTHER = "other";

	private final int most;

	private final Set<String> known = ConcurrentHashMap.newKeySet();

	TagNames(int most) {
		this.most = most;
	}

	/**
	 * The tag value of a name.
	 * @param name the name, {@code null} for none
	 * @return the name itself while it is one of the first distinct ones, {@value #OTHER} after
	 */
	@Nullable String of(@Nullable String name) {
		if (name == null || this.known.contains(name)) {
			return name;
		}
		// two threads may both pass the check: a name or two more than the most, never an unbounded number
		if (this.known.size() >= this.most) {
			return OTHER;
		}
		this.known.add(name);
		return name;
	}

}
