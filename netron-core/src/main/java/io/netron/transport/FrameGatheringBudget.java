package io.netron.transport;

import io.netron.core.MemoryBudget;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws a WebSocket frame that arrives over several reads from the node's memory budget as soon
 * as its header is in, for its whole announced length. Netty's frame decoder gathers a frame's
 * payload whole before Netron sees any of it (Tomcat hands it over in parts, which
 * {@link MessageAssembly} draws one by one): without this, frames as large as
 * {@code netron.server.max-message-size} on many connections would be held unseen and uncounted.
 * A frame the budget has no room for closes its connection with 1013 before it is gathered; what
 * it drew is given back once its last byte has gone on to the decoder, which hands the frame to
 * Netron in that same read (Netron then counts it as its own).
 *
 * <p>A frame larger than {@code netron.server.max-message-size} closes its connection with 1009 the
 * same way, from its header: left to Netty's decoder, it would close the channel at once with the
 * peer's bytes still arriving, and a peer still sending would often lose the close frame to the
 * reset (1006). Here the connection's close waits for the peer's close frame, and what the peer
 * sends meanwhile is dropped unread.
 *
 * <p>Sits in front of the decoder ({@code wsdecoder}) and reads frame headers without consuming
 * anything; frames that arrive whole in one read cost a look at their header and nothing else.
 * Touched on the channel's event loop only.
 */
final class FrameGatheringBudget extends ChannelInboundHandlerAdapter {

	/** Its name in the channel's pipeline. */
	static final String NAME = "netronFrameGatheringBudget";

	/** Netty's WebSocket frame decoder, which this handler goes in front of. */
	static final String DECODER = "wsdecoder";

	private static final Logger logger = LoggerFactory.getLogger(FrameGatheringBudget.class);

	/** The connection whose account frames draw from; {@code null} until it is accepted. */
	private volatile @Nullable NettyWebSocketConnection connection;

	/** The largest frame payload accepted: the node's maximum message size. */
	private final int maxFramePayloadLength;

	private final byte[] header = new byte[14];

	private int headerRead;

	/** Bytes of the current frame's payload still to come. */
	private long payloadLeft;

	/** What the frame being gathered drew. */
	private long drawn;

	/** The connection was refused for a frame: nothing more goes to the decoder. */
	private boolean refused;

	/**
	 * A budget for one connection's frames.
	 * @param maxFramePayloadLength the largest frame payload accepted (the node's maximum message size)
	 */
	FrameGatheringBudget(int maxFramePayloadLength) {
		this.maxFramePayloadLength = maxFramePayloadLength;
	}

	/** Frames draw from the account of this connection from now on. */
	void drawFor(NettyWebSocketConnection connection) {
		this.connection = connection;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof ByteBuf buffer)) {
			ctx.fireChannelRead(msg);
			return;
		}
		if (this.refused) {
			buffer.release();
			return;
		}
		MemoryBudget.Account account = account();
		long gathered = 0;
		int index = buffer.readerIndex();
		int end = buffer.writerIndex();
		while (index < end) {
			if (this.payloadLeft > 0) {
				long step = Math.min(this.payloadLeft, end - index);
				index += (int) step;
				this.payloadLeft -= step;
				if (this.payloadLeft == 0) {
					gathered += this.drawn;
					this.drawn = 0;
				}
				continue;
			}
			this.header[this.headerRead++] = buffer.getByte(index++);
			if (this.headerRead < headerLength()) {
				continue;
			}
			this.headerRead = 0;
			// a length with its top bit set is the decoder's to refuse
			this.payloadLeft = Math.max(0, payloadLength());
			if (this.payloadLeft > this.maxFramePayloadLength) {
				if (gathered > 0 && account != null) {
					account.give(gathered);
				}
				refuse(ctx, buffer, 1009, "message larger than " + this.maxFramePayloadLength + " bytes", "a frame of "
						+ this.payloadLeft + " bytes exceeds the " + this.maxFramePayloadLength
						+ "-byte limit (netron.server.max-message-size)");
				return;
			}
			if (this.payloadLeft > end - index && account != null) {
				// the rest comes in later reads: the decoder will hold the whole frame until then.
				// A frame that ended in this read goes on to Netron within it: its draw is given back
				// first, as Tomcat gives back a message's parts before the next message's come
				if (gathered > 0) {
					account.give(gathered);
					gathered = 0;
				}
				if (!account.take(this.payloadLeft)) {
					refuse(ctx, buffer, 1013, "node over its memory budget, try again later",
							"the node is over its memory budget (netron.server.max-buffered-bytes) for a frame of "
									+ this.payloadLeft + " bytes");
					return;
				}
				this.drawn = this.payloadLeft;
			}
		}
		try {
			ctx.fireChannelRead(buffer);
		}
		finally {
			if (gathered > 0 && account != null) {
				account.give(gathered);
			}
		}
	}

	private MemoryBudget.@Nullable Account account() {
		NettyWebSocketConnection connection = this.connection;
		return (connection != null) ? connection.memory() : null;
	}

	/**
	 * Refuses the frame whose header was just read (frames that ended before it were given back
	 * already) through the connection's close, which waits for the peer's close frame; nothing the
	 * peer sends meanwhile goes on to the decoder.
	 */
	private void refuse(ChannelHandlerContext ctx, ByteBuf buffer, int code, String reason, String why) {
		this.refused = true;
		buffer.release();
		NettyWebSocketConnection connection = this.connection;
		logger.warn("Closing connection with {}: {}",
				(connection != null) ? connection.remoteAddress() : ctx.channel().remoteAddress(), why);
		if (connection != null) {
			connection.close(code, reason);
		}
		else {
			ctx.close();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		giveBack();
		super.channelInactive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		giveBack();
	}

	private void giveBack() {
		MemoryBudget.Account account = account();
		if (this.drawn > 0 && account != null) {
			account.give(this.drawn);
		}
		this.drawn = 0;
	}

	/** The header's length, known once its first two bytes are in: 2, the extended length, the mask. */
	private int headerLength() {
		if (this.headerRead < 2) {
			return 2;
		}
		int length = this.header[1] & 0x7f;
		int extended = (length == 126) ? 2 : (length == 127) ? 8 : 0;
		return 2 + extended + (((this.header[1] & 0x80) != 0) ? 4 : 0);
	}

	private long payloadLength() {
		int length = this.header[1] & 0x7f;
		if (length < 126) {
			return length;
		}
		if (length == 126) {
			return ((this.header[2] & 0xffL) << 8) | (this.header[3] & 0xffL);
		}
		long value = 0;
		for (int i = 2; i < 10; i++) {
			value = (value << 8) | (this.header[i] & 0xffL);
		}
		return value;
	}

}
