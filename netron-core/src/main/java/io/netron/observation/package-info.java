/**
 * Micrometer observations of the requests a node serves ({@code netron.server.requests}) and makes
 * ({@code netron.client.requests}): their contexts, conventions and default conventions. Metrics
 * and traces come from the same instrumentation once an {@code ObservationRegistry} is set.
 */
@NullMarked
package io.netron.observation;

import org.jspecify.annotations.NullMarked;
