/**
 * The sample's Spring Security setup (open by default, HTTP Basic with the {@code secure} profile).
 */
@NullMarked
package io.netron.sample.security;

import org.jspecify.annotations.NullMarked;
