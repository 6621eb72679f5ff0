package io.netron.protocol;

/**
 * A JavaScript {@code Invalid Date}: a Date extension (125) whose unsigned millisecond count lies
 * outside the range JavaScript accepts. The TypeScript encoder writes dates before 1970 in two's
 * complement, which its decoder reads back as such an invalid date. The raw bits are kept so that
 * the value re-encodes to the same bytes.
 *
 * @param rawBits the eight payload bytes as read from the wire
 */
public record InvalidDate(long rawBits) {

	@Override
	public String toString() {
		return "Invalid Date";
	}

}
