package io.netron.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a class as a Netron service. Spring beans with this annotation are exposed to remote
 * peers when the node starts; an instance returned from another service's {@link Public}
 * method travels as a sub-service, by reference.
 *
 * <pre>{@code @NetronService("calculator@1.0.0")}</pre>
 *
 * <p>A class marked {@code expose = false} is not a component: scanning skips it, so that
 * sub-service types may have any constructor.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
@Conditional(ExposedServiceCondition.class)
public @interface NetronService {

	/**
	 * {@return the qualified name, {@code name@version}} The name is latin letters and digits in
	 * dot-separated parts, the optional version a semantic version.
	 */
	@AliasFor("name")
	String value() default "";

	/** {@return the qualified name; alias for {@link #value()}} */
	@AliasFor("value")
	String name() default "";

	/**
	 * {@return whether a bean of this class is exposed when the node starts} Set it to
	 * {@code false} for classes only handed out as sub-services by other services.
	 */
	boolean expose() default true;

	/**
	 * {@return where the service's members run when peers use them, unless a member says otherwise
	 * with {@link Public#execution()}} {@link Execution#DEFAULT} decides member by member.
	 */
	Execution execution() default Execution.DEFAULT;

}
