package io.netron.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/**
 * The JSON frames of the handshake: {@code {"type":"id","id":...}}, which a server sends first, and
 * {@code {"type":"client-id","id":...}}, which a Titan-generation client answers with before any
 * packet. Seed-era servers send the id frame as text; Titan servers and clients send both as
 * binary frames holding the UTF-8 JSON, and read either.
 *
 * @param type {@code id} or {@code client-id}
 * @param id the node id the frame announces
 */
public record HandshakeFrame(String type, String id) {

	/** The type of the frame a server sends. */
	public static final String SERVER_ID = "id";

	/** The type of the frame a Titan-generation client sends. */
	public static final String CLIENT_ID = "client-id";

	/** Longest handshake frame read: a node id is short, and nothing else travels in it. */
	public static final int MAX_LENGTH = 4096;

	/** Longest node id accepted from a peer (UUIDs have 36 characters, Titan's generated ids about 40). */
	public static final int MAX_ID_LENGTH = 256;

	private static final ObjectMapper JSON = new ObjectMapper();

	/**
	 * A server's id frame.
	 * @param id the server's node id
	 * @return the frame
	 */
	public static HandshakeFrame serverId(String id) {
		return new HandshakeFrame(SERVER_ID, id);
	}

	/**
	 * A client's id frame (Titan generation).
	 * @param id the client's node id
	 * @return the frame
	 */
	public static HandshakeFrame clientId(String id) {
		return new HandshakeFrame(CLIENT_ID, id);
	}

	/**
	 * Whether a binary frame holds JSON rather than a packet: Titan classifies a frame as a
	 * handshake when its first byte is an opening brace or bracket. A packet starting so would have
	 * an id of 2,063,597,568 or more, which no peer reaches in practice.
	 * @param frame the frame
	 * @return whether it starts like JSON
	 */
	public static boolean looksLikeJson(byte[] frame) {
		return frame.length > 0 && (frame[0] == '{' || frame[0] == '[');
	}

	/**
	 * Whether a text frame holds JSON, as {@link #looksLikeJson(byte[])} tells for binary frames.
	 * @param text the frame's text
	 * @return whether it starts like JSON
	 */
	public static boolean looksLikeJson(String text) {
		return !text.isEmpty() && (text.charAt(0) == '{' || text.charAt(0) == '[');
	}

	/**
	 * Reads a handshake frame.
	 * @param text the frame's text
	 * @return the frame
	 * @throws ProtocolException saying what is wrong with it
	 */
	public static HandshakeFrame parse(String text) {
		if (text.length() > MAX_LENGTH) {
			throw new ProtocolException("Handshake frame of " + text.length() + " characters exceeds the limit of "
					+ MAX_LENGTH);
		}
		JsonNode node;
		try {
			node = JSON.readTree(text);
		}
		catch (JsonProcessingException ex) {
			throw new ProtocolException("Handshake frame is not valid JSON: " + abbreviate(text));
		}
		if (node == null || !node.isObject() || !node.path("type").isTextual()) {
			throw new ProtocolException("Handshake frame has no \"type\": " + abbreviate(text));
		}
		JsonNode id = node.path("id");
		if (!id.isTextual() || id.asText().isEmpty()) {
			throw new ProtocolException("Handshake frame has no \"id\" string: " + abbreviate(text));
		}
		String problem = idProblem(id.asText());
		if (problem != null) {
			throw new ProtocolException("Handshake frame has " + problem);
		}
		return new HandshakeFrame(node.get("type").asText(), id.asText());
	}

	/**
	 * What is wrong with a node id a peer gave, so that no id reaches a log line or a registry key
	 * that it could break: more than {@value #MAX_ID_LENGTH} characters, or characters that are not
	 * visible (control characters such as the escape that starts a terminal sequence, line and
	 * paragraph separators, invisible format characters, lone surrogates).
	 * @param id the id
	 * @return what is wrong, {@code null} when nothing is
	 */
	public static @Nullable String idProblem(String id) {
		if (id.isEmpty()) {
			return "an empty id";
		}
		if (id.length() > MAX_ID_LENGTH) {
			return "an id of " + id.length() + " characters (at most " + MAX_ID_LENGTH + ")";
		}
		for (int i = 0; i < id.length();) {
			int c = id.codePointAt(i);
			int type = Character.getType(c);
			if (Character.isISOControl(c) || Character.isWhitespace(c) || type == Character.FORMAT
					|| type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
					|| type == Character.SURROGATE) {
				return String.format("an id with the invisible character U+%04X at %d", c, i);
			}
			i += Character.charCount(c);
		}
		return null;
	}

	/**
	 * Reads a handshake frame that arrived as a binary frame.
	 * @param frame the frame's bytes (UTF-8 JSON)
	 * @return the frame
	 * @throws ProtocolException saying what is wrong with it
	 */
	public static HandshakeFrame parse(byte[] frame) {
		if (frame.length > MAX_LENGTH) {
			throw new ProtocolException("Handshake frame of " + frame.length + " bytes exceeds the limit of "
					+ MAX_LENGTH);
		}
		return parse(new String(frame, StandardCharsets.UTF_8));
	}

	/** {@return the frame's JSON text, as {@code JSON.stringify} writes it} */
	public String toJson() {
		Map<String, String> frame = new LinkedHashMap<>();
		frame.put("type", this.type);
		frame.put("id", this.id);
		try {
			return JSON.writeValueAsString(frame);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@return the frame's UTF-8 bytes, as a binary frame carries them} */
	public byte[] toBytes() {
		return toJson().getBytes(StandardCharsets.UTF_8);
	}

	/** {@return whether this is a server's id frame} */
	public boolean isServerId() {
		return SERVER_ID.equals(this.type);
	}

	/** {@return whether this is a client's id frame} */
	public boolean isClientId() {
		return CLIENT_ID.equals(this.type);
	}

	private static String abbreviate(@Nullable String text) {
		if (text == null) {
			return "null";
		}
		return (text.length() <= 80) ? text : text.substring(0, 80) + "...";
	}

}
