package io.netron.core;

/**
 * Text a peer chose (event names, frames, reasons), made fit for a log line or a close frame:
 * printable ASCII only, so that no terminal escape or line break reaches the log, and cut short.
 */
final class LogText {

	private LogText() {
	}

	/** {@return the text with everything but printable ASCII as {@code ?}, cut to 80 characters} */
	static String of(String text) {
		return abbreviate(printable(text), 80);
	}

	static String printable(String text) {
		return text.replaceAll("[^\\x20-\\x7e]", "?");
	}

	static String abbreviate(String text, int length) {
		return (text.length() <= length) ? text : text.substring(0, length) + "...";
	}

}
