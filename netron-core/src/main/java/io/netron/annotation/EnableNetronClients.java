package io.netron.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

/**
 * Scans for {@link NetronClient} interfaces in the given packages (by default the package of
 * the annotated class) instead of the application's auto-configuration packages.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(NetronClientsImportSelector.class)
public @interface EnableNetronClients {

	/** {@return the packages to scan for {@code @NetronClient} interfaces} */
	String[] basePackages() default {};

	/** {@return classes whose packages are scanned} */
	Class<?>[] basePackageClasses() default {};

	/** {@return client interfaces to register without scanning} */
	Class<?>[] clients() default {};

}
