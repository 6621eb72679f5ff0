/**
 * Annotations that mark Netron services, their public members, and client interfaces.
 */
@NullMarked
package io.netron.annotation;

import org.jspecify.annotations.NullMarked;
