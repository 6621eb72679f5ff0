package io.netron.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Catches the bytes a client sent after its upgrade request but before the 101 answer, which no
 * conforming client does (RFC 6455 section 4.1): Netty's HTTP decoder has already read into them
 * as if they began another request, and when the WebSocket handshake removes it, it hands what
 * is left of them, raw, to the handler behind it. Reactor Netty's HTTP exchange, still in place at
 * that moment, would keep them unreleased for good (one pooled read buffer per such connection);
 * here they are released and counted, and the connection is closed with 1002 once it is served,
 * since the frames they began can no longer be read.
 *
 * <p>Sits in front of Reactor Netty's bridge for the upgrade only: an HTTP exchange or an upgraded
 * WebSocket never passes raw bytes there. Touched on the channel's event loop only.
 */
final class BytesBeforeUpgrade extends ChannelInboundHandlerAdapter {

	/** Its name in the channel's pipeline. */
	static final String NAME = "netronBytesBeforeUpgrade";

	private volatile long dropped;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof ByteBuf bytes) {
			this.dropped += bytes.readableBytes();
			bytes.release();
			return;
		}
		ctx.fireChannelRead(msg);
	}

	/** {@return how many bytes sent before the upgrade was answered were dropped} */
	long dropped() {
		return this.dropped;
	}

}
