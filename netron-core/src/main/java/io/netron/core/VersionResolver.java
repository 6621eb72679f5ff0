package io.netron.core;

import java.util.Map;

import io.netron.protocol.Definition;

import org.jspecify.annotations.Nullable;
import org.semver4j.Semver;

/**
 * Finds a service among qualified names: {@code name@1.2.3} exactly; {@code name} as the
 * versionless service of that name, else its highest semantic version (the TypeScript rule);
 * and, as an extension, {@code name@range} ({@code ^1.2}, {@code >=1 <3}, ...) as the highest
 * version in the range. Names are compared literally, never as patterns.
 */
final class VersionResolver {

	private VersionResolver() {
	}

	/**
	 * The qualified name that matches, or {@code null}.
	 */
	static @Nullable String resolve(Map<String, Definition> services, String requested) {
		if (services.containsKey(requested)) {
			return requested;
		}
		int at = requested.indexOf('@');
		String name = (at < 0) ? requested : requested.substring(0, at);
		String range = (at < 0) ? null : requested.substring(at + 1);
		if (range != null && (range.isEmpty() || Semver.isValid(range))) {
			return null; // an exact version that is not there
		}
		String prefix = name + "@";
		String best = null;
		Semver bestVersion = null;
		for (String key : services.keySet()) {
			if (!key.startsWith(prefix) || key.indexOf('@', prefix.length()) >= 0) {
				continue;
			}
			Semver version = Semver.parse(key.substring(prefix.length()));
			if (version == null || (range != null && !satisfies(version, range))) {
				continue;
			}
			if (bestVersion == null || version.isGreaterThan(bestVersion)) {
				best = key;
				bestVersion = version;
			}
		}
		return best;
	}

	private static boolean satisfies(Semver version, String range) {
		try {
			return version.satisfies(range);
		}
		catch (RuntimeException ex) {
			return false; // not a range semver4j can read: nothing matches
		}
	}

}
