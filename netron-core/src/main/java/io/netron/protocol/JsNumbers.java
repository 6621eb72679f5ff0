package io.netron.protocol;

import java.math.BigDecimal;

/**
 * JavaScript number formatting, for the few places where a number becomes a string as
 * JavaScript would make it (plain-object keys).
 */
final class JsNumbers {

	private JsNumbers() {
	}

	/** {@code String(x)} for a JavaScript number. */
	static String toString(double value) {
		if (Double.isNaN(value)) {
			return "NaN";
		}
		if (Double.isInfinite(value)) {
			return (value > 0) ? "Infinity" : "-Infinity";
		}
		if (value == 0) {
			return "0";
		}
		if (value == Math.rint(value) && Math.abs(value) < 1e21) {
			return new BigDecimal(value).toPlainString();
		}
		double magnitude = Math.abs(value);
		if (magnitude >= 1e-7 && magnitude < 1e21) {
			return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
		}
		String java = Double.toString(value);
		int e = java.indexOf('E');
		String mantissa = java.substring(0, e);
		if (mantissa.endsWith(".0")) {
			mantissa = mantissa.substring(0, mantissa.length() - 2);
		}
		String exponent = java.substring(e + 1);
		return mantissa + "e" + (exponent.startsWith("-") ? exponent : "+" + exponent);
	}

}
