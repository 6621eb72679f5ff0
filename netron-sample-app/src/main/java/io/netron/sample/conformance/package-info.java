/**
 * The cross-language conformance services: the exact surface TypeScript Netron peers use to
 * check the starter (see the README).
 */
@NullMarked
package io.netron.sample.conformance;

import org.jspecify.annotations.NullMarked;
