/**
 * Spring-facing client support: configured peers and {@code @NetronClient} interfaces as lazy,
 * injectable beans.
 */
@NullMarked
package io.netron.client;

import org.jspecify.annotations.NullMarked;
