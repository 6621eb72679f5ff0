package io.netron.autoconfigure;

import io.netron.core.NetronContext;
import io.netron.core.NetronExceptionTranslator;
import io.netron.core.RemoteAccessDeniedException;
import io.netron.protocol.JsError;

import org.jspecify.annotations.Nullable;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;

/**
 * Answers Spring Security's refusals ({@code @PreAuthorize}, {@code @Secured} and the like) with
 * an {@code AccessDeniedError} naming the member and the reason, such as
 * {@code "Access denied to calculator@1.0.0.reset: Access Denied"}; Java callers receive a
 * {@link RemoteAccessDeniedException}. Nothing else of the refused call is sent: no stack frames,
 * no exception class.
 */
public class NetronAccessDeniedTranslator implements NetronExceptionTranslator {

	/** The translator. */
	public NetronAccessDeniedTranslator() {
	}

	@Override
	public @Nullable JsError translate(Throwable failure, NetronContext context) {
		if (failure instanceof AccessDeniedException) {
			return JsError.named(RemoteAccessDeniedException.ERROR_NAME,
					"Access denied to " + context.describeMember() + ": " + reason(failure, "Access Denied"));
		}
		if (failure instanceof AuthenticationException) {
			return JsError.named(RemoteAccessDeniedException.ERROR_NAME, "Access denied to " + context.describeMember()
					+ ": authentication required (" + reason(failure, "not authenticated") + ")");
		}
		return null;
	}

	private static String reason(Throwable failure, String fallback) {
		String message = failure.getMessage();
		return (message != null && !message.isBlank()) ? message : fallback;
	}

}
