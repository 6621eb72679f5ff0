package io.netron.protocol;

import java.math.BigInteger;

/**
 * A 64-bit integer in the {@code Long} class the TypeScript Netron uses (extension 119): the
 * two's-complement bits and whether they are read as unsigned.
 *
 * @param bits the 64 bits, two's complement
 * @param unsigned whether the bits are read as an unsigned value
 */
public record JsLong(long bits, boolean unsigned) {

	/**
	 * A signed long.
	 * @param value the value
	 * @return the signed Long
	 */
	public static JsLong of(long value) {
		return new JsLong(value, false);
	}

	/** {@return the exact value} */
	public BigInteger toBigInteger() {
		BigInteger value = BigInteger.valueOf(this.bits);
		return (this.unsigned && this.bits < 0) ? value.add(BigInteger.ONE.shiftLeft(64)) : value;
	}

	/** {@return the high 32 bits, signed, as the JavaScript Long exposes them} */
	public int high() {
		return (int) (this.bits >>> 32);
	}

	/** {@return the low 32 bits, signed, as the JavaScript Long exposes them} */
	public int low() {
		return (int) this.bits;
	}

	@Override
	public String toString() {
		return this.unsigned ? Long.toUnsignedString(this.bits) : Long.toString(this.bits);
	}

}
