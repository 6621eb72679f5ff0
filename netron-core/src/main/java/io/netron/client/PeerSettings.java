package io.netron.client;

import java.net.URI;
import java.time.Duration;

/**
 * A configured peer.
 *
 * @param name the name clients refer to it by
 * @param url the WebSocket URL of its Netron endpoint
 * @param requestTimeout how long calls to it may take
 * @param eager whether to connect while the application starts
 */
public record PeerSettings(String name, URI url, Duration requestTimeout, boolean eager) {

}
