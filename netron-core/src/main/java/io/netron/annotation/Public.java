package io.netron.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method or field of a {@link NetronService} as reachable by remote peers. Nothing
 * else of the service is: the serving node refuses calls, reads and writes of members without
 * this annotation.
 *
 * <p>On a method: a remote method (its name is the protocol's key, so overloads are refused).
 * On a field: a property, read and written through its JavaBean getter and setter when they
 * exist, else through the field.
 */
@Target({ ElementType.METHOD, ElementType.FIELD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Public {

	/** {@return for a property, whether remote peers may only read it (final fields always are)} */
	boolean readonly() default false;

	/**
	 * {@return where the member runs when a peer calls, reads or writes it} {@link Execution#DEFAULT}
	 * takes the service's {@link NetronService#execution()}, else decides by the member's type.
	 */
	Execution execution() default Execution.DEFAULT;

}
