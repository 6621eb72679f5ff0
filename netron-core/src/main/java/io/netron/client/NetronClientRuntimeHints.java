package io.netron.client;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Set;

import io.netron.core.NetronProxy;
import io.netron.core.NetronServiceRuntimeHints;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;

/**
 * What a {@code @NetronClient} interface needs in a native image: a JDK proxy of the interface
 * and {@link NetronProxy}, its methods and annotations read reflectively, its parameter and
 * result types bound with Jackson, and the same for the sub-service interfaces it returns.
 */
public final class NetronClientRuntimeHints {

	private NetronClientRuntimeHints() {
	}

	/**
	 * Registers the hints of a client interface and of the sub-service interfaces it returns.
	 * @param hints the hints to add to
	 * @param clientInterface an interface proxied by Netron
	 */
	public static void register(RuntimeHints hints, Class<?> clientInterface) {
		register(hints, clientInterface, new HashSet<>());
	}

	private static void register(RuntimeHints hints, Class<?> clientInterface, Set<Class<?>> seen) {
		if (!seen.add(clientInterface)) {
			return;
		}
		hints.proxies().registerJdkProxy(clientInterface, NetronProxy.class);
		hints.reflection().registerType(clientInterface, MemberCategory.INVOKE_PUBLIC_METHODS);
		for (Method method : clientInterface.getMethods()) {
			if (method.isDefault() || method.getDeclaringClass() == Object.class) {
				continue;
			}
			for (Type parameter : method.getGenericParameterTypes()) {
				bind(hints, parameter);
			}
			Class<?> result = method.getReturnType();
			if (result.isInterface() && !result.getName().startsWith("java.") && !isNetronType(result)
					&& !result.getName().startsWith("reactor.")) {
				register(hints, result, seen);
			}
			else {
				bind(hints, method.getGenericReturnType());
			}
		}
	}

	private static void bind(RuntimeHints hints, Type type) {
		NetronServiceRuntimeHints.registerBinding(hints, type);
	}

	/** Netron's own interfaces (streams, services): proxied or adapted by Netron itself. */
	private static boolean isNetronType(Class<?> type) {
		return type.getPackageName().equals("io.netron.core") || type.getPackageName().equals("io.netron.stream");
	}

}
