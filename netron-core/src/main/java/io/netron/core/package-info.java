/**
 * The Netron engine: a node ({@link io.netron.core.Netron}), its local services and the remote
 * peers it is connected to, request dispatch, tasks and events. Frames arrive from the
 * transport through {@link io.netron.core.Connection}; this package never depends on how they
 * travel.
 */
@NullMarked
package io.netron.core;

import org.jspecify.annotations.NullMarked;
