package io.netron.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks an interface as a typed client of a remote Netron service. Each such interface becomes
 * one lazy bean, injectable by type, whose methods call the service:
 *
 * <pre>{@code
 * @NetronClient(value = "calculator@^1.0.0", peer = "calc")   // netron.peers.calc.url
 * public interface CalculatorClient {
 *   long add(long a, long b);                       // blocking, bounded by the request timeout
 *   CompletableFuture<Long> addAsync(long a, long b);   // calls "add" asynchronously
 *   @NetronProperty("version") String version();     // property read
 * }
 * }</pre>
 *
 * Nothing connects while the application context starts unless the peer is configured with
 * {@code eager: true}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface NetronClient {

	/** {@return the service: {@code name}, {@code name@1.2.3} or {@code name@range} (such as {@code ^1.2})} */
	@AliasFor("service")
	String value() default "";

	/** {@return the service; alias for {@link #value()}} */
	@AliasFor("value")
	String service() default "";

	/**
	 * {@return the configured peer ({@code netron.peers.<peer>.url}) that serves the service} When
	 * empty, the service is found through discovery.
	 */
	String peer() default "";

}
