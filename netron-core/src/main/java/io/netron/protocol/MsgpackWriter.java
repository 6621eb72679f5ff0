package io.netron.protocol;

import java.util.Arrays;

/**
 * A growable big-endian byte buffer with the MessagePack header forms the TypeScript Netron
 * writes. One place knows each layout; {@link ValueCodec} decides which to use.
 */
final class MsgpackWriter {

	/** Largest ext header: 0xc9, uint32 length, type byte. */
	private static final int MAX_EXT_HEADER = 6;

	private byte[] buf;

	private int pos;

	MsgpackWriter(int initialCapacity) {
		this.buf = new byte[Math.max(16, initialCapacity)];
	}

	int position() {
		return this.pos;
	}

	/** {@return the bytes written; the buffer itself when it is full (the writer is not used after)} */
	byte[] toByteArray() {
		return (this.pos == this.buf.length) ? this.buf : Arrays.copyOf(this.buf, this.pos);
	}

	private void ensure(int more) {
		long needed = (long) this.pos + more;
		if (needed > this.buf.length) {
			if (needed > Integer.MAX_VALUE - 16) {
				throw new ProtocolException("Encoded value exceeds the 2 GB frame limit");
			}
			this.buf = Arrays.copyOf(this.buf, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 16L, this.buf.length * 2L)));
		}
	}

	void u8(int value) {
		ensure(1);
		this.buf[this.pos++] = (byte) value;
	}

	void u16(int value) {
		ensure(2);
		this.buf[this.pos++] = (byte) (value >>> 8);
		this.buf[this.pos++] = (byte) value;
	}

	void u32(long value) {
		ensure(4);
		this.buf[this.pos++] = (byte) (value >>> 24);
		this.buf[this.pos++] = (byte) (value >>> 16);
		this.buf[this.pos++] = (byte) (value >>> 8);
		this.buf[this.pos++] = (byte) value;
	}

	void u64(long value) {
		u32(value >>> 32);
		u32(value & 0xFFFF_FFFFL);
	}

	void bytes(byte[] bytes, int offset, int length) {
		ensure(length);
		System.arraycopy(bytes, offset, this.buf, this.pos, length);
		this.pos += length;
	}

	void nil() {
		u8(0xc0);
	}

	void bool(boolean value) {
		u8(value ? 0xc3 : 0xc2);
	}

	/** An int in its smallest form (the canonical int32 form below -32768). */
	void integer(int value) {
		if (value >= 0) {
			if (value < 0x80) {
				u8(value);
			}
			else if (value < 0x100) {
				u8(0xcc);
				u8(value);
			}
			else if (value < 0x10000) {
				u8(0xcd);
				u16(value);
			}
			else {
				u8(0xce);
				u32(value);
			}
		}
		else if (value >= -32) {
			u8(value);
		}
		else if (value >= -128) {
			u8(0xd0);
			u8(value);
		}
		else if (value >= -32768) {
			u8(0xd1);
			u16(value);
		}
		else {
			u8(0xd2);
			u32(value);
		}
	}

	void float64(double value) {
		u8(0xcb);
		u64(Double.doubleToLongBits(value));
	}

	/** A string: the header counts UTF-8 bytes; lone surrogates become U+FFFD as in Node. */
	void string(String value) {
		int length = value.length();
		int utf8Length = utf8Length(value, length);
		if (utf8Length < 32) {
			u8(0xa0 | utf8Length);
		}
		else if (utf8Length < 0x100) {
			u8(0xd9);
			u8(utf8Length);
		}
		else if (utf8Length < 0x10000) {
			u8(0xda);
			u16(utf8Length);
		}
		else {
			u8(0xdb);
			u32(utf8Length);
		}
		ensure(utf8Length);
		byte[] b = this.buf;
		int p = this.pos;
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c < 0x80) {
				b[p++] = (byte) c;
			}
			else if (c < 0x800) {
				b[p++] = (byte) (0xc0 | (c >> 6));
				b[p++] = (byte) (0x80 | (c & 0x3f));
			}
			else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
				int cp = Character.toCodePoint(c, value.charAt(++i));
				b[p++] = (byte) (0xf0 | (cp >> 18));
				b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
				b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
				b[p++] = (byte) (0x80 | (cp & 0x3f));
			}
			else {
				char ch = Character.isSurrogate(c) ? '\uFFFD' : c;
				b[p++] = (byte) (0xe0 | (ch >> 12));
				b[p++] = (byte) (0x80 | ((ch >> 6) & 0x3f));
				b[p++] = (byte) (0x80 | (ch & 0x3f));
			}
		}
		this.pos = p;
	}

	private static int utf8Length(String value, int length) {
		long bytes = length;
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c >= 0x80) {
				if (c < 0x800) {
					bytes += 1;
				}
				else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
					bytes += 2;
					i++;
				}
				else {
					bytes += 2;
				}
			}
		}
		if (bytes > Integer.MAX_VALUE - 16) {
			throw new ProtocolException("String of " + bytes + " UTF-8 bytes exceeds the 2 GB frame limit");
		}
		return (int) bytes;
	}

	void binary(byte[] value, int offset, int length) {
		if (length < 0x100) {
			u8(0xc4);
			u8(length);
		}
		else if (length < 0x10000) {
			u8(0xc5);
			u16(length);
		}
		else {
			u8(0xc6);
			u32(length);
		}
		bytes(value, offset, length);
	}

	void arrayHeader(int size) {
		if (size < 16) {
			u8(0x90 | size);
		}
		else if (size < 0x10000) {
			u8(0xdc);
			u16(size);
		}
		else {
			u8(0xdd);
			u32(size);
		}
	}

	/** A map header; above 65535 entries this writes map32, which TypeScript peers cannot read. */
	void mapHeader(int size) {
		if (size < 16) {
			u8(0x80 | size);
		}
		else if (size < 0x10000) {
			u8(0xde);
			u16(size);
		}
		else {
			u8(0xdf);
			u32(size);
		}
	}

	/** Reserves room for an extension header; the payload follows; then {@link #endExt}. */
	int beginExt() {
		ensure(MAX_EXT_HEADER);
		int start = this.pos;
		this.pos += MAX_EXT_HEADER;
		return start;
	}

	/**
	 * Writes the header of the extension begun at {@code start} in the smallest form for its
	 * payload length (fixext for 1, 2, 4, 8 and 16 bytes) and moves the payload next to it.
	 */
	void endExt(int start, int type) {
		int payloadStart = start + MAX_EXT_HEADER;
		int length = this.pos - payloadStart;
		int headerSize;
		switch (length) {
			case 1, 2, 4, 8, 16 -> headerSize = 2;
			default -> headerSize = (length < 0x100) ? 3 : (length < 0x10000) ? 4 : 6;
		}
		System.arraycopy(this.buf, payloadStart, this.buf, start + headerSize, length);
		int p = start;
		byte[] b = this.buf;
		switch (length) {
			case 1 -> b[p++] = (byte) 0xd4;
			case 2 -> b[p++] = (byte) 0xd5;
			case 4 -> b[p++] = (byte) 0xd6;
			case 8 -> b[p++] = (byte) 0xd7;
			case 16 -> b[p++] = (byte) 0xd8;
			default -> {
				if (length < 0x100) {
					b[p++] = (byte) 0xc7;
					b[p++] = (byte) length;
				}
				else if (length < 0x10000) {
					b[p++] = (byte) 0xc8;
					b[p++] = (byte) (length >>> 8);
					b[p++] = (byte) length;
				}
				else {
					b[p++] = (byte) 0xc9;
					b[p++] = (byte) (length >>> 24);
					b[p++] = (byte) (length >>> 16);
					b[p++] = (byte) (length >>> 8);
					b[p++] = (byte) length;
				}
			}
		}
		b[p] = (byte) type;
		this.pos = start + headerSize + length;
	}

}
