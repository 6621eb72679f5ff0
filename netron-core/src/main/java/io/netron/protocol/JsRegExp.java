package io.netron.protocol;

/**
 * A JavaScript regular expression (extension 121).
 *
 * @param source the pattern source
 * @param flags the flags, such as {@code "gi"}
 */
public record JsRegExp(String source, String flags) {

	@Override
	public String toString() {
		return "/" + this.source + "/" + this.flags;
	}

}
