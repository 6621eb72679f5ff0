package io.netron.observation;

import io.micrometer.observation.Observation;
import io.netron.protocol.PacketType;

import org.jspecify.annotations.Nullable;

/**
 * What an observation of one Netron request knows: the request (type, service, member), the peer
 * on the other side, and how it ended.
 */
public abstract class NetronRequestObservationContext extends Observation.Context {

	private final PacketType type;

	private final @Nullable String service;

	private final String member;

	private final String peerId;

	private Outcome outcome = Outcome.SUCCESS;

	private @Nullable String errorName;

	private final long startNanos = System.nanoTime();

	/** What the request came over: {@code websocket} or {@code http}. */
	private String transport = WEBSOCKET;

	/** Requests over a Netron connection. */
	public static final String WEBSOCKET = "websocket";

	/** Requests over the HTTP transport. */
	public static final String HTTP = "http";

	/**
	 * The member a served request is observed under when its service (or, for a task, the node)
	 * has no member of the name it gave: names a caller made up are not tag values.
	 */
	public static final String UNKNOWN_MEMBER = "unknown";

	/**
	 * A context for one request.
	 * @param type {@code CALL}, {@code GET}, {@code SET} or {@code TASK}
	 * @param service the service's qualified name ({@code name@version}), {@code null} for a task
	 * @param member the method or property, or the task's name
	 * @param peerId the node id of the peer on the other side
	 */
	protected NetronRequestObservationContext(PacketType type, @Nullable String service, String member, String peerId) {
		this.type = type;
		this.service = service;
		this.member = member;
		this.peerId = peerId;
	}

	/** {@return what the request came over: {@link #WEBSOCKET} or {@link #HTTP}} */
	public String getTransport() {
		return this.transport;
	}

	/**
	 * Sets what the request came over.
	 * @param transport {@link #WEBSOCKET} or {@link #HTTP}
	 */
	public void setTransport(String transport) {
		this.transport = transport;
	}

	/** {@return when the request started, in {@link System#nanoTime()}} */
	public long getStartNanos() {
		return this.startNanos;
	}

	/** {@return what was asked for} */
	public PacketType getType() {
		return this.type;
	}

	/** {@return the service's qualified name, or {@code null} for a task} */
	public @Nullable String getService() {
		return this.service;
	}

	/** {@return the method or property, or the task's name} */
	public String getMember() {
		return this.member;
	}

	/** {@return the node id of the peer on the other side} */
	public String getPeerId() {
		return this.peerId;
	}

	/** {@return how the request ended (SUCCESS until it ends otherwise)} */
	public Outcome getOutcome() {
		return this.outcome;
	}

	/** {@return the name of the error it ended with, such as {@code RangeError}, or {@code null}} */
	public @Nullable String getErrorName() {
		return this.errorName;
	}

	/**
	 * Records how the request ended.
	 * @param outcome the outcome
	 * @param errorName the error's name, {@code null} for a success
	 */
	public void setEnd(Outcome outcome, @Nullable String errorName) {
		this.outcome = outcome;
		this.errorName = errorName;
	}

	/** How a request ended. */
	public enum Outcome {

		/** Answered with a value. */
		SUCCESS,

		/** Answered with an error (or, on the serving side, failed). */
		ERROR,

		/** Not answered within the request timeout (calling side). */
		TIMEOUT,

		/** The connection went before the answer came, or was not there (calling side). */
		DISCONNECTED

	}

}
