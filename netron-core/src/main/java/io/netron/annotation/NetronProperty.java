package io.netron.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a method of a client interface: the method reads (no argument) or writes (one argument,
 * {@code void} or {@code CompletableFuture<Void>}) the named remote property.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface NetronProperty {

	/** {@return the remote property name} */
	String value();

}
