package io.netron.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a method of a client interface: the remote method it calls, when the Java name differs,
 * for example a {@code CompletableFuture} variant next to a blocking one. A method named
 * {@code xAsync} returning a {@code CompletableFuture} calls {@code x} without this annotation.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RemoteMethod {

	/** {@return the remote method name} */
	String value();

}
