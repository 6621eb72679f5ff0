package io.netron.core;

import io.netron.protocol.JsError;

import org.jspecify.annotations.Nullable;

/**
 * Turns an exception a service method threw into the error its caller receives, where the
 * default (the exception's simple class name and message) would say too little or too much. The
 * Spring Boot auto-configuration answers Spring Security's refusals with an
 * {@code AccessDeniedError} this way. Register translators with
 * {@link Netron#addExceptionTranslator}; in a Spring Boot application, declare them as beans.
 */
@FunctionalInterface
public interface NetronExceptionTranslator {

	/**
	 * Translates a failure.
	 * @param failure what the service method threw (unwrapped from invocation and completion
	 * wrappers)
	 * @param context the request that failed
	 * @return the error to answer with, or {@code null} to leave the failure to the next
	 * translator or the default
	 */
	@Nullable JsError translate(Throwable failure, NetronContext context);

}
