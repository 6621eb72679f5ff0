package io.netron.core;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Set;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * The reflection a {@code @NetronService} class needs in a native image: its {@code @Public}
 * methods and properties are found and invoked reflectively, their parameter and result types
 * are bound with Jackson, and the services it hands out by reference need the same.
 */
public final class NetronServiceRuntimeHints {

	private static final BindingReflectionHintsRegistrar BINDING = new BindingReflectionHintsRegistrar();

	private NetronServiceRuntimeHints() {
	}

	/**
	 * Registers the hints of a service class and of the sub-service classes its methods return.
	 * @param hints the hints to add to
	 * @param serviceClass a class annotated with {@code @NetronService}
	 */
	public static void register(RuntimeHints hints, Class<?> serviceClass) {
		register(hints, serviceClass, new HashSet<>());
	}

	private static void register(RuntimeHints hints, Class<?> serviceClass, Set<Class<?>> seen) {
		if (!seen.add(serviceClass)) {
			return;
		}
		hints.reflection().registerType(serviceClass, MemberCategory.INVOKE_PUBLIC_METHODS,
				MemberCategory.INVOKE_DECLARED_METHODS, MemberCategory.ACCESS_PUBLIC_FIELDS,
				MemberCategory.ACCESS_DECLARED_FIELDS);
		for (Class<?> current = serviceClass; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Method method : current.getDeclaredMethods()) {
				if (!method.isAnnotationPresent(Public.class)) {
					continue;
				}
				for (Type parameter : method.getGenericParameterTypes()) {
					bind(hints, parameter, seen);
				}
				bind(hints, method.getGenericReturnType(), seen);
			}
		}
	}

	private static void bind(RuntimeHints hints, Type type, Set<Class<?>> seen) {
		Class<?> raw = ResolvableType.forType(type).toClass();
		if (AnnotatedElementUtils.hasAnnotation(raw, NetronService.class)) {
			register(hints, raw, seen);
			return;
		}
		for (ResolvableType generic : ResolvableType.forType(type).getGenerics()) {
			Class<?> argument = generic.toClass();
			if (AnnotatedElementUtils.hasAnnotation(argument, NetronService.class)) {
				register(hints, argument, seen);
			}
		}
		registerBinding(hints, type);
	}

	/**
	 * Registers Jackson binding of a parameter or result type (records, beans and their
	 * properties), unless it is one of Netron's own value types, which Netron reads itself.
	 * @param hints the hints to add to
	 * @param type the declared type
	 */
	public static void registerBinding(RuntimeHints hints, Type type) {
		Class<?> raw = ResolvableType.forType(type).toClass();
		if (raw != void.class && !raw.isPrimitive() && !isNetronType(raw)) {
			BINDING.registerReflectionHints(hints.reflection(), type);
		}
	}

	/** Netron's own value types (streams, services, wire values): Netron reads them without binding. */
	static boolean isNetronType(Class<?> type) {
		String packageName = type.getPackageName();
		return packageName.equals("io.netron.core") || packageName.equals("io.netron.stream")
				|| packageName.equals("io.netron.protocol");
	}

}
