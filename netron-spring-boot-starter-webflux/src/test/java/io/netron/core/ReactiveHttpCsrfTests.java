package io.netron.core;

/**
 * {@link HttpCsrfTests} on Spring WebFlux: the HTTP transport's endpoints behind a
 * {@code SecurityWebFilterChain} with its CSRF protection as it comes.
 */
class ReactiveHttpCsrfTests extends HttpCsrfTests {

	/** WebFlux's CSRF filter answers 403 itself, before HTTP Basic authentication is tried. */
	@Override
	int refusedBasicPostStatus() {
		return 403;
	}

}
