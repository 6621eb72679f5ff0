package io.netron.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A JavaScript {@code Map} (extension 124): keys may be any value and insertion order is kept.
 * A plain {@link Map} with only {@link String} keys travels as a plain object instead.
 */
public class JsMap extends LinkedHashMap<@Nullable Object, @Nullable Object> {

	/**
	 * An empty map.
	 */
	public JsMap() {
	}

	/**
	 * An empty map sized for some entries.
	 * @param expectedSize how many entries it will hold
	 */
	public JsMap(int expectedSize) {
		super(Math.max(4, (int) (expectedSize / 0.75f) + 1));
	}

	/**
	 * A map with these entries, in their order.
	 * @param entries the entries
	 */
	public JsMap(Map<?, ?> entries) {
		super(entries);
	}

}
