package io.netron.core;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netron.protocol.Definition;
import io.netron.protocol.JsError;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketType;
import io.netron.protocol.TitanError;

import org.jspecify.annotations.Nullable;

/**
 * What differs between the two generations of the protocol on one connection, in one place: the
 * engine asks the connection's dialect and stays generation-blind otherwise. The handshake frames
 * are told apart by {@link PeerLink}; how services are looked up as a client by
 * {@link PeerServices}, asking {@link #listsServices()}.
 */
abstract sealed class Dialect permits Dialect.Seed, Dialect.Titan {

	static final Dialect SEED = new Seed();

	static final Dialect TITAN = new Titan();

	static Dialect of(ProtocolGeneration generation) {
		return (generation == ProtocolGeneration.TITAN) ? TITAN : SEED;
	}

	abstract ProtocolGeneration generation();

	/** Whether a frame with bytes after its last field is malformed (Titan refuses them; the seed ignored them). */
	abstract boolean strictFrames();

	/** The error a request is answered with: Netron's own refusals take this generation's form. */
	abstract JsError wireError(JsError error);

	/** Whether a task of the node's table is served to this generation's peers. */
	abstract boolean servesTask(String name);

	/** The packet that tells the reader of a stream that it failed. */
	abstract Packet streamFailure(long packetId, long streamId, String message);

	/** A result as this generation's peers expect it: a definition's metadata in their shape. */
	abstract @Nullable Object forWire(@Nullable Object value);

	/**
	 * Whether the peer lists its services when the connection opens ({@code abilities}) and
	 * announces changes; else each service is looked up when it is first used ({@code query_interface}).
	 */
	abstract boolean listsServices();

	/** {@code {streamId, <key>: text}} as a request of the given type. */
	static Packet streamPacket(long packetId, PacketType type, long streamId, String key, String text) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("streamId", streamId);
		data.put(key, text);
		return Packet.request(packetId, type, data);
	}

	/** The first generation: exactly what the seed does. */
	static final class Seed extends Dialect {

		@Override
		ProtocolGeneration generation() {
			return ProtocolGeneration.SEED;
		}

		@Override
		boolean strictFrames() {
			return false;
		}

		/** As before, but a service's {@code TitanError}, which a seed-era decoder cannot read, as a plain {@code Error}. */
		@Override
		JsError wireError(JsError error) {
			if (error instanceof TitanError titan) {
				Map<String, Object> fields = new LinkedHashMap<>();
				fields.put("code", titan.code());
				if (!titan.details().isEmpty()) {
					fields.put("details", titan.details());
				}
				return new JsError(io.netron.protocol.JsErrorType.ERROR, titan.name(), titan.getMessage(),
						titan.name() + ": " + titan.getMessage(), fields);
			}
			return error;
		}

		@Override
		boolean servesTask(String name) {
			return true;
		}

		@Override
		@Nullable Object forWire(@Nullable Object value) {
			return value;
		}

		@Override
		Packet streamFailure(long packetId, long streamId, String message) {
			return streamPacket(packetId, PacketType.STREAM_ERROR, streamId, "message", message);
		}

		@Override
		boolean listsServices() {
			return true;
		}

		@Override
		public String toString() {
			return "seed";
		}

	}

	/** The Titan generation. */
	static final class Titan extends Dialect {

		@Override
		ProtocolGeneration generation() {
			return ProtocolGeneration.TITAN;
		}

		@Override
		boolean strictFrames() {
			return true;
		}

		/**
		 * Netron's refusals as {@code TitanError}s with Titan's codes; errors named as access
		 * denials or overloads (made by translators and policies) as 403 and 503; a service's own
		 * exception stays a plain {@code Error} (extension 126), as Titan sends it.
		 */
		@Override
		JsError wireError(JsError error) {
			if (error instanceof TitanError) {
				return error;
			}
			if (error instanceof Refusal refusal) {
				return refusal.toTitan();
			}
			return switch (error.name()) {
				case RemoteAccessDeniedException.ERROR_NAME -> TitanError.of(Refusal.FORBIDDEN, error.getMessage(), Map.of());
				case RemoteOverloadedException.ERROR_NAME ->
					TitanError.of(Refusal.SERVICE_UNAVAILABLE, error.getMessage(), Map.of());
				default -> error;
			};
		}

		@Override
		boolean servesTask(String name) {
			return !"abilities".equals(name);
		}

		/** A definition (a query_interface answer, a sub-service) with its metadata in Titan's shape. */
		@Override
		@Nullable Object forWire(@Nullable Object value) {
			if (value instanceof Definition definition && definition.meta().wireForm() == null) {
				return new Definition(definition.id(), definition.parentId(), definition.peerId(),
						definition.meta().inTitanForm());
			}
			return value;
		}

		@Override
		Packet streamFailure(long packetId, long streamId, String message) {
			return streamPacket(packetId, PacketType.STREAM_CLOSE, streamId, "reason", message);
		}

		@Override
		boolean listsServices() {
			return false;
		}

		@Override
		public String toString() {
			return "titan";
		}

	}

}
