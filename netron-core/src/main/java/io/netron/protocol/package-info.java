/**
 * The Netron wire protocol: packets, the MessagePack value codec with Netron's extension types,
 * and the Java types that stand for JavaScript values. Nothing here depends on Spring.
 */
@NullMarked
package io.netron.protocol;

import org.jspecify.annotations.NullMarked;
