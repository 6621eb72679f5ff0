/**
 * Streams between peers: {@link io.netron.stream.NetronReadableStream} (a demand-driven
 * {@link java.util.concurrent.Flow.Publisher} with blocking views) and
 * {@link io.netron.stream.NetronWritableStream} (write, end, error, or pipe from a source),
 * carried as STREAM packets with the TypeScript Netron's indexes, end-of-stream and live flags.
 */
@NullMarked
package io.netron.stream;

import org.jspecify.annotations.NullMarked;
