/**
 * Redis service discovery shared with TypeScript Netron nodes: the same keys, TTLs, Lua script
 * and pub/sub events, on spring-data-redis.
 */
@NullMarked
package io.netron.discovery;

import org.jspecify.annotations.NullMarked;
